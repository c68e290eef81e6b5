"""streamlit-authenticator 0.4.2 and its cookie manager, set up for dashboard/auth.py.

A module of its own so that it is imported only when a login is in play (``auth.gate``): the
library and extra-streamlit-components, which declares all its components when imported,
took 0.3–0.65 s of the first page after a server start, which a reader who is not logged in
(the steering group on a projector, the server's own warm-up) does not need (issue 15). The
first run of a process that does need it (a login cookie, the opened login form) imports it
once; never outside a script run, where the cookie manager's component would not be
registered (dashboard/streamlit_adapter.py, the warm-up).

The library's cookie manager (extra-streamlit-components' ``CookieManager``) is a component in
an iframe: the library drew it on every run to read the browser's cookies, which made the
browser load a second page of scripts and rerun the app once more after every page load of a
logged-in user (issue 15). The library reads the login cookie from ``st.context.cookies``
since 0.4, so ``CookieWriter`` stands in for the manager and draws the component only when the
library writes: the cookie set at login, deleted at logout.
"""

from __future__ import annotations

from types import SimpleNamespace

import extra_streamlit_components as stx
import streamlit as st
from extra_streamlit_components.CookieManager import _component_func as cookie_component
from streamlit_authenticator import Authenticate
from streamlit_authenticator.models import cookie_model
from streamlit_authenticator.utilities import LoginError

__all__ = ["Authenticate", "CookieWriter", "LoginError"]


class CookieWriter(stx.CookieManager):
    """The library's cookie manager, drawn only to set or delete a cookie (see above).

    ``stx.CookieManager()`` draws its component at once, to read every cookie; this one reads
    the cookies the browser sent when the session opened and leaves ``set`` and ``delete``,
    which draw the component, as they are.
    """

    def __init__(self, key: str = "init") -> None:
        self.cookie_manager = cookie_component
        self.cookies = dict(st.context.cookies)

    def delete(self, cookie: str, key: str = "delete") -> None:
        """Delete ``cookie`` in the browser, also one set after the session opened."""
        self.cookies.setdefault(cookie, "")
        super().delete(cookie, key)


# The library makes its cookie manager as ``stx.CookieManager()`` (CookieModel.__init__,
# streamlit-authenticator 0.4.2): it is given this module's stand-in instead.
cookie_model.stx = SimpleNamespace(CookieManager=CookieWriter)
