"""Parallax web app (thin shell over the qa library). Run: make run."""

import streamlit as st

from qa.encoder import get_encoder

st.set_page_config(page_title="Parallax", layout="wide")
st.title("Parallax")
a = st.text_input("Sentence A", "The army carried out artillery strikes overnight.")
b = st.text_input("Sentence B", "Die Armee führte in der Nacht Artillerieangriffe durch.")
encoder = st.cache_resource(get_encoder)()
vectors = encoder.encode([a, b])
st.metric("Cosine similarity", f"{float(vectors[0] @ vectors[1]):.3f}")
