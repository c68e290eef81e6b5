"""Choices kept in the address (``?kommun=``, ``?ar=``, ``?period=``…) and their pickers.

A choice is a widget whose value lives in a URL query parameter (``url_choice``): a copied
link opens the same view, and the value follows the user between pages. The browse pages'
kommun, year and promise sit in one popover (``choices_popover``), its button naming what is
shown; the popover's content is drawn by the browser only when it is opened (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st

from dashboard import browser_ui, components, labels, queries, tables


def url_choice_keys(name: str) -> tuple[str, str]:
    """The session-state keys of a URL choice: the widget's and the session's memory."""
    return f"valt_{name}", f"minne_{name}"


def url_choice_value(name: str, options: Sequence, encode: Callable[[object], str] = str):
    """The value a URL choice will take this run (widget, session memory, then URL), or None.

    For code that must know the choice before the widget is drawn (app.py's page config).
    """
    widget_key, memory_key = url_choice_keys(name)
    for key in (widget_key, memory_key):
        if st.session_state.get(key) in options:
            return st.session_state[key]
    return _parse(st.query_params.get(name), options, encode)


def url_choice(
    name: str,
    options: Sequence,
    default,
    render: Callable[[str], object],
    encode: Callable[[object], str | None] = str,
):
    """A widget whose value lives in the URL query parameter ``name`` (as ``encode(value)``).

    The value is remembered in the session (so the year follows the user between pages) and
    written into the widget's state before every render, because Streamlit forgets a widget's
    state when the page changes. A session without a value (a fresh page load, e.g. from a
    shared link) takes it from the URL, else ``default``; every run writes the value back to
    the URL, so a copied link opens the same view. Only a value the URL does not hold yet is
    sent, and not in a session's first run: each changed query string was a new history
    entry (issue 10, browser_ui.keep_history_tidy).
    """
    widget_key, memory_key = url_choice_keys(name)
    value = url_choice_value(name, options, encode)
    raw = st.query_params.get(name)
    if value is None and raw not in (None, ""):
        st.warning(f"Adressens {name}={components.plain(raw)} finns inte; visar standardvalet.")
    st.session_state[widget_key] = default if value is None else value
    value = render(widget_key)
    st.session_state[memory_key] = value
    wanted = encode(value)  # None: the parameter is left out of the address
    if browser_ui.history_is_tidy() and st.query_params.get(name) != wanted:
        if wanted is None:
            del st.query_params[name]
        else:
            st.query_params[name] = wanted
    return value


def url_choice_preview(name: str, options: Sequence, default, encode=str):
    """What ``url_choice(name, options, default, …)`` returns this run, without drawing it.

    For a label that names a choice before its widget is drawn (``choices_popover``).
    """
    value = url_choice_value(name, options, encode)
    return default if value is None else value


def _parse(raw: str | None, options: Sequence, encode: Callable[[object], str] = str):
    by_text = {encode(option): option for option in options}
    return by_text.get(raw) if raw is not None else None


SHOWN_PARTNERSHIP = "shown_partnership"


CHOICES_KEY = "urval"


def choices_popover(parts: Sequence[str], where=None, *, key: str = CHOICES_KEY):
    """The popover that holds a page's kommun, year and promise pickers (issue 15).

    Its button names what is shown (``parts``, e.g. "Strängnäs kommun · 2026"), so the room
    sees it without opening anything; a year alone reads "År 2026". The browser draws the
    pickers inside only when it is opened: three select boxes drawn with every page made the
    charts appear 10–15 % later. ``where``: a column or other container (default: the page);
    ``key``: the popover's own, for a page with more than one.
    """
    label = " · ".join(parts) if len(parts) != 1 or not parts[0].isdigit() else f"År {parts[0]}"
    # A promise's area is typed by an admin, and Streamlit reads a label as markdown.
    return (where or st).popover(components.plain(label) or "Urval", key=key)


def filter_popover(where, keys: Sequence[str]):
    """A "Filter" popover for the multiselects whose widget keys are ``keys``; its button
    says how many values are chosen ("Filter: 2 valda"), so a filtered view never passes for
    the whole. Like ``choices_popover``, its content is drawn only when opened (issue 15)."""
    chosen = sum(len(st.session_state.get(key) or ()) for key in keys)
    label = f"Filter: {chosen} valda" if chosen else "Filter"
    return where.popover(label, key="filter")


def _partnership_fallback(codes: list[str], default: str) -> str | None:
    return default if default in codes or not codes else codes[0]


def partnership_preview(partnerships: pl.DataFrame, *, default: str) -> str | None:
    """The kommun ``partnership_picker(partnerships, default=default)`` chooses this run."""
    codes = partnerships["code"].to_list()
    fallback = _partnership_fallback(codes, default)
    return url_choice_preview("kommun", codes, fallback) if len(codes) > 1 else fallback


def partnership_picker(partnerships: pl.DataFrame, *, default: str, box=None) -> str:
    """The kommun whose promise the browse pages show, kept in ``?kommun=`` (issue 11).

    ``partnerships`` is ``queries.load_partnerships``. With more than one, a "Kommun" choice
    (searchable: type a few letters) in ``box`` (``choices_popover``), else in the sidebar;
    with one, nothing is drawn. An unknown code in the address gives a note and ``default``
    (the configured kommun), or the first.
    """
    codes = partnerships["code"].to_list()
    fallback = _partnership_fallback(codes, default)
    if len(codes) <= 1:
        raw = st.query_params.get("kommun")
        if raw not in (None, "", fallback):
            st.warning(f"Adressens kommun={components.plain(raw)} finns inte; visar standardvalet.")
        st.session_state[SHOWN_PARTNERSHIP] = fallback
        return fallback
    names = dict(zip(codes, partnerships["name"], strict=True))
    chosen = url_choice(
        "kommun",
        codes,
        fallback,
        lambda key: (box or st.sidebar).selectbox(
            "Kommun", codes, key=key, format_func=lambda code: f"{names[code]} ({code})"
        ),
    )
    st.session_state[SHOWN_PARTNERSHIP] = chosen
    return chosen


def partnership_label(partnerships: pl.DataFrame, code: str) -> list[str]:
    """The kommun's part of a ``choices_popover`` label: its name when there is a choice (more
    than one partnership), else nothing."""
    if partnerships.height <= 1:
        return []
    return [partnerships.filter(pl.col("code") == code)["name"].item()]


def partnership_choice(partnerships: pl.DataFrame, *, default: str, where=None) -> str:
    """``partnership_picker`` alone in a ``choices_popover`` named after the kommun shown,
    for a page without a year choice (Trender, Administration); nothing drawn with one."""
    box = None
    if partnerships.height > 1:
        code = partnership_preview(partnerships, default=default)
        box = choices_popover(partnership_label(partnerships, code), where)
    return partnership_picker(partnerships, default=default, box=box)


def shown_partnership(default: str) -> str:
    """The kommun the page chose in this session (``partnership_picker``), else ``default``."""
    return st.session_state.get(SHOWN_PARTNERSHIP) or default


def _region_options(regions: pl.DataFrame) -> list[str]:
    return ["", *regions["code"].to_list()]


def _region_encode(code: str) -> str | None:
    return code or None


def region_preview(regions: pl.DataFrame) -> str | None:
    """The police region ``region_picker(regions)`` chooses this run; None: all of them."""
    return url_choice_preview("region", _region_options(regions), "", _region_encode) or None


def region_picker(
    regions: pl.DataFrame, *, everything: str = "Hela landet", box=None
) -> str | None:
    """``everything`` or one police region (``queries.load_regions``), kept in ``?region=``;
    in ``box`` (``choices_popover``) or where the page is."""
    options = _region_options(regions)
    names = dict(zip(regions["code"], regions["name"], strict=True))
    chosen = url_choice(
        "region",
        options,
        "",
        lambda key: (box or st).selectbox(
            "Område", options, key=key, format_func=lambda c: names.get(c, everything)
        ),
        encode=_region_encode,
    )
    return chosen or None


def _year_options(years: Sequence[int]) -> list[int]:
    return sorted(set(years), reverse=True)


def year_preview(years: Sequence[int], *, default: int) -> int:
    """The year ``year_picker(years, default=default)`` chooses this run."""
    return url_choice_preview("ar", _year_options(years), default)


def year_picker(years: Sequence[int], *, default: int, box=None) -> int:
    """Year selector kept in ``?ar=``, in ``box`` (``choices_popover``) or where the page is."""
    options = _year_options(years)
    return url_choice(
        "ar",
        options,
        default,
        lambda key: (box or st).selectbox("År", options, key=key),
    )


def period_picker(periods: pl.DataFrame, *, default: int | None) -> int:
    """The year's follow-up periods of the shown promise (``queries.load_periods``: T1–T3,
    K1–K4, H1–H2 or its own), by name, kept in ``?period=`` as the number in the year."""
    names = labels.period_names(periods) if periods.height else dict(labels.TERTIALS)
    options = list(names)
    return url_choice(
        "period",
        options,
        default if default in options else options[-1],
        lambda key: st.segmented_control(
            "Period", options, key=key, format_func=names.get, required=True
        ),
    )


REGION_PERIODS = {0: "Varje löftes aktuella", 1: "Period 1", 2: "Period 2", 3: "Period 3",
                  4: "Period 4"}  # fmt: skip


def region_period_picker() -> int:
    """Which period Region och riket shows of every promise, kept in ``?regionperiod=`` (its
    own, since a promise's period number on the other pages means another thing): by default
    each promise's current one (its rhythm's own: T3, K4, H2…), or the n-th of the year."""
    options = list(REGION_PERIODS)
    return url_choice(
        "regionperiod",
        options,
        0,
        lambda key: st.segmented_control(
            "Period", options, key=key, format_func=REGION_PERIODS.get, required=True
        ),
        encode=lambda n: str(n) if n else None,
    )


def promise_preview(promises: pl.DataFrame) -> str | None:
    """The area of the promise ``promise_picker`` chooses this run ("Hela kommunen" for the
    whole kommun's), for the popover's label; None when there is nothing to choose."""
    ids = promises["promise_id"].to_list()
    if len(ids) <= 1:
        return None
    areas = dict(zip(ids, promises["area"], strict=True))
    return areas[url_choice_preview("lofte", ids, ids[0])] or "Hela kommunen"


def promise_picker(promises: pl.DataFrame, code: str, box=None) -> str:
    """Which of the year's promises of kommun ``code`` is shown (``queries.load_year_promises``),
    kept in ``?lofte=`` as its id; returns the view key (``queries.promise_key``). Shown only
    when there is more than one: a kommun with one promise a year looks as before. In ``box``
    (``choices_popover``) or where the page is."""
    ids = promises["promise_id"].to_list()
    if len(ids) <= 1:
        area = promises["area"][0] if ids else None
        return queries.promise_key(code, ids[0] if ids and area is not None else None)
    names = dict(zip(ids, tables.promise_choice_names(promises), strict=True))
    chosen = url_choice(
        "lofte",
        ids,
        ids[0],
        lambda key: (box or st).selectbox("Löfte", ids, key=key, format_func=names.get),
    )
    return queries.promise_key(code, chosen)


def focus_area_picker(areas: pl.DataFrame) -> dict:
    """Focus-area selector with previous/next buttons, kept in ``?fokus=`` (1-based position):
    the list in a popover whose button names the area shown.

    Returns the chosen row of ``areas`` (``queries.load_focus_areas``) as a dict.
    """
    positions = list(range(1, areas.height + 1))
    names = dict(zip(positions, areas["name"], strict=True))
    key = "valt_fokus"

    def step(delta: int) -> None:
        st.session_state[key] = (st.session_state[key] - 1 + delta) % len(positions) + 1

    def label(p: int) -> str:
        return f"{p} av {len(positions)}: {names[p]}"

    def render(widget_key: str):
        pick, back, forward = st.columns([5, 2, 2], vertical_alignment="bottom")
        back.button("◀ Föregående", on_click=step, args=(-1,), width="stretch")
        forward.button("Nästa ▶", on_click=step, args=(1,), width="stretch")
        # The list sits in a popover named after the area shown (drawn when opened, issue 15).
        shown = components.plain(label(st.session_state[widget_key]))  # a typed name: inert
        box = pick.popover(shown, key="fokus", width="stretch")
        return box.selectbox("Fokusområde", positions, key=widget_key, format_func=label)

    position = url_choice("fokus", positions, 1, render)
    return areas.row(position - 1, named=True)
