"""The public page, /medborgare (issue 13): what a kommun has published, for anyone.

It reads only live publication snapshots (dashboard/publication/service.py) and renders them
with the same HTML as the static file (static_html.article), so the page and the file cannot
differ. An address that names nothing published — an unknown kommun, an unpublished promise or
period, a withdrawn one — gets the same "finns inte" answer, so the page never tells whether
something unpublished exists. No login, no sidebar, no names of the app's other pages.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components import plain
from dashboard.publication import service, static_html

NOT_FOUND = "Det finns ingen publicerad uppföljning på den här adressen."
INTRO = (
    "Kommunen och polisen lovar varje år att arbeta med några frågor som invånarna har pekat "
    "ut, ett medborgarlöfte. Här berättar de hur det gick."
)


def render() -> None:
    """The whole public page for the address's ``kommun``, ``lofte`` and ``period``."""
    params = st.query_params
    code, promise, period = params.get("kommun"), params.get("lofte"), params.get("period")
    if not code:
        _index()
        return
    publications = cache.load(service.live_publications, code) if _is_code(code) else []
    if not publications:
        _not_found()
        return
    name = publications[0].content["kommun"]["name"]
    if promise or period:
        chosen = [p for p in publications
                  if str(p.promise_id) == promise and p.period_key == period]  # fmt: skip
        if not chosen:
            _not_found()
            return
        _heading(name)
        _show(chosen[0])
        _download(name, chosen)
        st.markdown(f"[Alla publicerade uppföljningar för {name}](?kommun={code})")
        return
    _heading(name)
    st.markdown(INTRO)
    st.markdown("\n".join(f"- [{_link_text(p)}]({_address(code, p)})" for p in publications))
    _show(publications[0])
    _download(name, publications)


def _index() -> None:
    st.title("Medborgarlöften: så gick det")
    st.markdown(INTRO)
    kommuner = cache.load(service.kommuner_with_publications)
    if not kommuner:
        st.markdown("Ingen kommun har publicerat någon uppföljning ännu.")
        return
    st.markdown("\n".join(f"- [{name}](?kommun={code})" for code, name in kommuner))


def _heading(name: str) -> None:
    st.title(f"Medborgarlöften i {name}: så gick det")


def _show(publication: service.LivePublication) -> None:
    st.html(static_html.fragment(publication.content, publication.published_at))


def _download(name: str, publications: list[service.LivePublication]) -> None:
    html = static_html.document(name, [(p.content, p.published_at) for p in publications])
    st.download_button(
        "Ladda ner som HTML-fil (för kommunens webbplats)",
        html.encode("utf-8"),
        file_name=f"medborgarlofte-{publications[0].content['kommun']['code']}.html",
        mime="text/html",
    )


def _not_found() -> None:
    st.title("Sidan finns inte")
    st.markdown(NOT_FOUND)
    st.markdown("[Till listan över kommuner](?)")


def _link_text(publication: service.LivePublication) -> str:
    title = publication.content["promise"]["title"]
    return plain(f"{title}: uppföljning {publication.period_code} {publication.year}")


def _address(code: str, publication: service.LivePublication) -> str:
    return f"?kommun={code}&lofte={publication.promise_id}&period={publication.period_key}"


def _is_code(code: str) -> bool:
    """A kommun's SCB code: four digits (anything else is not looked up, nor cached)."""
    return len(code) == 4 and code.isascii() and code.isdigit()
