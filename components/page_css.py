"""Page CSS for every page: the shared layout rules, and the projector's larger type and high contrast.

Kept apart from numpy and plotly so the entry point stays light: Home paints sooner.

Narrow windows: columns wrap instead of squeezing their content. A column never gets narrower than
COLUMN_MIN (in rem, so it grows with the projector's type); a row that cannot hold its columns at that
width puts the rest underneath. A row that must stay one row (a few icon buttons) goes in a container
whose key starts with `row-` (`st.container(key="row-nav")`).
"""

import streamlit as st

from components.theme import projector

COLUMN_MIN = "11rem"

_BASE_CSS = f"""
<style>
  .block-container {{ padding-top: 2.2rem; }}
  .convlab-big {{ font-size: 4rem; font-weight: 800; line-height: 1.05; }}
  [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{ min-width: min(100%, {COLUMN_MIN}); }}
  [class*="st-key-row-"] [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap; }}
  [class*="st-key-row-"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{ min-width: 0; }}
  /* A disabled control must look disabled: grey text, dashed border, no pointer. */
  .stApp button:disabled, .stApp input:disabled, .stApp textarea:disabled {{
      cursor: not-allowed; border-style: dashed !important;
  }}
  @media (max-width: 1100px) {{
    .block-container {{ padding-left: 1.25rem; padding-right: 1.25rem; }}
  }}
  /* Code colours at >= 7:1 on the code background (Streamlit's defaults go down to 2.6:1). */
  [data-testid="stCode"] .token.keyword, [data-testid="stCode"] .token.tag, [data-testid="stCode"] .token.function,
  [data-testid="stCode"] .token.class-name, [data-testid="stCode"] .token.selector {{ color: #0a4a94; }}
  [data-testid="stCode"] .token.operator, [data-testid="stCode"] .token.entity, [data-testid="stCode"] .token.decorator,
  [data-testid="stCode"] .token.atrule {{ color: #8a3b00; }}
  [data-testid="stCode"] .token.number, [data-testid="stCode"] .token.boolean, [data-testid="stCode"] .token.constant,
  [data-testid="stCode"] .token.string, [data-testid="stCode"] .token.attr-value,
  [data-testid="stCode"] .token.builtin {{ color: #085244; }}
  [data-testid="stCode"] .token.punctuation, [data-testid="stCode"] .token.comment {{ color: #4a4d57; }}
  [data-testid="stCode"] .token.url {{ color: #5b2a86; }}
  [data-testid="stCode"] .token.important {{ color: #a3001b; }}
</style>
"""

# White on #003c8f is 10.4:1 (black on the theme's #0b5cad was 3.15:1). Disabled grey #595959 on white: 7:1.
_PROJECTOR_CSS = """
<style>
  html { font-size: 22.4px !important; }  /* 1.4 x 16 px; Streamlit sizes text in rem */
  .stApp, .stApp p, .stApp li, .stApp label, .stApp span, .stMarkdown { color: #000000 !important; }
  .stApp { background: #ffffff !important; }
  section[data-testid="stSidebar"] { background: #ffffff !important; border-right: 3px solid #000000; }
  .stApp p, .stApp li, .stApp label { font-weight: 500; }
  .stApp h1, .stApp h2, .stApp h3 { color: #000000 !important; font-weight: 800; }
  .stApp a { color: #003c8f !important; text-decoration: underline; }
  div[data-baseweb="input"], div[data-baseweb="select"] > div, .stButton button, .stDownloadButton button {
      border: 2px solid #000000 !important;
  }
  div[data-testid="stVerticalBlockBorderWrapper"] { border-width: 3px !important; border-color: #000 !important; }
  .stApp button[kind^="primary"], .stApp button[kind^="primary"] * { color: #ffffff !important; }
  .stApp button[kind^="primary"] { background: #003c8f !important; }
  .stApp button[kind^="primary"]:hover { background: #002a66 !important; }
  .stApp :disabled, .stApp :disabled *, .stApp [aria-disabled="true"], .stApp [aria-disabled="true"] * {
      color: #595959 !important;
  }
  .stApp button:disabled { background: #eeeeee !important; border-color: #595959 !important; }
  /* Captions: Streamlit greys them with opacity; from the back row they need full contrast. */
  .stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] * { opacity: 1 !important; }
  .stApp [data-testid="stCaptionContainer"] p { color: #333333 !important; }
  /* Inline code is 0.75em: 16.8 px here; keep every text >= 18 px. */
  .stApp code { font-size: max(0.85em, 18px) !important; }
  .stApp button[role="tab"] p { color: #000000 !important; }
  @media (max-width: 1300px) {
    .block-container { padding-left: 1rem; padding-right: 1rem; }
  }
</style>
"""


def inject_css() -> None:
    """The shared CSS, plus the projector's when this session is in projector mode."""
    st.html(_BASE_CSS + (_PROJECTOR_CSS if projector() else ""))
