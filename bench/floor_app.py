"""The floor page: bare Streamlit with one Altair chart of ``?marks=N`` bars.

The benchmark loads it in the same browser as the app's pages, with as many marks as the page
it is compared with draws, so the ratio page / floor shows what the app adds on top of
Streamlit and Vega themselves. Run: ``streamlit run bench/floor_app.py``.
"""

import altair as alt
import polars as pl
import streamlit as st

marks = int(st.query_params.get("marks", "100"))
data = pl.DataFrame({"x": [f"{i:05d}" for i in range(marks)], "y": [i % 97 for i in range(marks)]})
st.title("Golv")
if marks:  # a page without charts is compared with a floor without one
    chart = alt.Chart(data).mark_bar().encode(x=alt.X("x:N", axis=None), y="y:Q")
    st.altair_chart(chart, width="stretch")
