"""Layout checks for a Streamlit page open in Playwright: cut text, page scroll, overlaps, axe, contrast, text size.

Each check returns a list of problems (plain dicts a person can read); `check_layout` runs them all.
The browser-side code walks open shadow roots too (the v2 components live in them) and skips what a
person cannot see (zero size, hidden, the collapsed sidebar).

    open_in_layout(page, base_url, "kernels", "1024-projector")
    report = check_layout(page, LAYOUTS["1024-projector"])
    assert report.clean(), report.text()
"""

from dataclasses import dataclass, field

from testkit.browser import goto, shot, wait_idle


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    projector: bool

    @property
    def min_contrast(self) -> float:
        return 7.0 if self.projector else 4.5

    @property
    def min_text_px(self) -> float:
        return 18.0 if self.projector else 12.0


LAYOUTS = {
    "1024-projector": Layout(1024, 768, True),  # a classroom projector
    "1366-normal": Layout(1366, 768, False),  # a student's laptop
    "1920-projector": Layout(1920, 1080, True),  # a big classroom screen
}

# Where cut text hides: the element itself or anything inside it.
CUT_SELECTORS = ", ".join([
    "label", "button", "[role=tab]", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "[data-testid=stWidgetLabel]", "[data-testid=stMetric]", "[data-testid=stPageLink]",
    "[data-baseweb=select]", "[data-baseweb=tag]", "[data-testid=stSliderThumbValue]",
    "[data-testid=stSliderTickBarMin]", "[data-testid=stSliderTickBarMax]", "[data-testid=stExpander] summary",
])
# Things that must not sit on top of other content.
OVERLAP_SELECTORS = "canvas, img, [data-testid=stSliderThumbValue], [data-testid=stSliderTickBarMin], " \
                    "[data-testid=stSliderTickBarMax]"

_JS_LIB = r"""
const deepAll = () => { const out = []; const walk = (root) => {
  for (const e of root.querySelectorAll('*')) { out.push(e); if (e.shadowRoot) walk(e.shadowRoot); } };
  walk(document); return out; };
const parentOf = (e) => e.parentElement || (e.getRootNode() && e.getRootNode().host) || null;
const ancestors = (e) => { const out = []; for (let p = parentOf(e); p; p = parentOf(p)) out.push(p); return out; };
const inClosedSidebar = (e) => ancestors(e).some((a) => a.dataset && a.dataset.testid === 'stSidebar'
  && (a.getAttribute('aria-expanded') === 'false' || a.getAttribute('data-collapsed') === 'true'));
const visible = (e) => {
  const r = e.getBoundingClientRect();
  if (r.width < 2 || r.height < 2 || r.right <= 0 || r.left >= document.documentElement.scrollWidth) return false;
  const cs = getComputedStyle(e);
  if (cs.visibility !== 'visible' || cs.display === 'none' || parseFloat(cs.opacity) === 0) return false;
  if ([e, ...ancestors(e)].some((a) => a.getAttribute && a.getAttribute('aria-hidden') === 'true')) return false;
  // Content of a closed <details> (a folded expander) keeps a layout box but is not painted.
  if (e.checkVisibility && !e.checkVisibility()) return false;
  return !inClosedSidebar(e);
};
const ownText = (e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
const describe = (e) => {
  const tid = e.closest && e.closest('[data-testid]');
  const text = (e.innerText || e.textContent || e.getAttribute('alt') || '').trim().replace(/\s+/g, ' ');
  return `${e.tagName.toLowerCase()}${tid ? ' in ' + tid.dataset.testid : ''} "${text.slice(0, 60)}"`;
};
const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round); };
"""

_CUT_JS = _JS_LIB + r"""
(sel) => {
  const seen = new Set(); const out = [];
  for (const root of deepAll().filter((e) => e.matches(sel))) {
    for (const e of [root, ...root.querySelectorAll('*')]) {
      if (seen.has(e)) continue; seen.add(e);
      if (!(e.innerText || '').trim() || !visible(e)) continue;
      const cs = getComputedStyle(e);
      if (['auto', 'scroll'].includes(cs.overflowX)) continue;  // scrolls on purpose
      const wide = e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1;
      const tall = e.clientHeight > 0 && ['hidden', 'clip'].includes(cs.overflowY)
        && e.scrollHeight > e.clientHeight + 1;
      if (wide || tall) out.push({element: describe(e), box: box(e),
        scroll: [e.scrollWidth, e.scrollHeight], client: [e.clientWidth, e.clientHeight]});
    }
  }
  return out;
}
"""

_SCROLL_JS = r"""
() => {
  const out = [];
  const cands = [document.scrollingElement, document.body,
    ...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer], '
      + '[data-testid=stMainBlockContainer], [data-testid=stAppScrollToBottomContainer]')];
  for (const e of new Set(cands)) {
    if (e && e.scrollWidth > e.clientWidth + 1) out.push({element: (e.dataset && e.dataset.testid) || e.tagName,
      scroll_width: e.scrollWidth, client_width: e.clientWidth, overflow_x: getComputedStyle(e).overflowX});
  }
  return out;
}
"""

_OVERLAP_JS = _JS_LIB + r"""
(sel) => {
  const all = deepAll().filter(visible);
  const targets = all.filter((e) => e.matches(sel));
  const content = all.filter((e) => ownText(e) || ['IMG', 'CANVAS', 'INPUT', 'TEXTAREA', 'VIDEO'].includes(e.tagName));
  const out = [];
  for (const t of targets) {
    const a = t.getBoundingClientRect(); const up = new Set(ancestors(t));
    for (const o of content) {
      if (o === t || up.has(o) || t.contains(o) || ancestors(o).includes(t)) continue;
      const b = o.getBoundingClientRect();
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) out.push({element: describe(t), other: describe(o), box: box(t), other_box: box(o),
                                    area: Math.round(w * h)});
    }
  }
  return out;
}
"""

# Contrast of every visible text element: its colour against the background painted under it.
# HTML text: the element's and its ancestors' background colours, composited (an image or gradient on the
# way makes it unmeasurable). SVG text: the last filled shape in the same <svg> under the text's centre,
# else the <svg>'s HTML background. Disabled controls are exempt (WCAG 1.4.3 "inactive").
_CONTRAST_JS = _JS_LIB + r"""
(minimum) => {
  const ctx = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  const parse = (c) => {
    if (!c || c === 'none' || c === 'transparent') return [0, 0, 0, 0];
    const m = c.match(/^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:[,/] ?([\d.]+%?))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1
      : (m[4].endsWith('%') ? parseFloat(m[4]) / 100 : +m[4])];
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const opacity = (e) => [e, ...ancestors(e)].reduce((o, a) => o * (a.nodeType === 1 ? parseFloat(getComputedStyle(a).opacity) : 1), 1);
  const htmlBackground = (e) => {
    // Only ancestors painted under the text's centre count (a slider's value sits above its blue thumb).
    const r = e.getBoundingClientRect(); const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const layers = [];
    for (let a = e; a; a = parentOf(a)) {
      const ar = a.getBoundingClientRect();
      if (a !== e && a !== document.documentElement && a !== document.body
          && (cx < ar.left || cx > ar.right || cy < ar.top || cy > ar.bottom)) continue;
      const cs = getComputedStyle(a);
      if (cs.backgroundImage !== 'none') return null;
      const c = parse(cs.backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const svgBackground = (t) => {
    const svg = t.ownerSVGElement; if (!svg) return htmlBackground(parentOf(t));
    const r = t.getBoundingClientRect(); const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    let found = null;
    for (const s of svg.querySelectorAll('rect, circle, ellipse, path, polygon, image')) {
      if (s.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_PRECEDING) break;  // painted after the text
      if (s.contains(t) || !visible(s)) continue;
      const sr = s.getBoundingClientRect();
      if (cx < sr.left || cx > sr.right || cy < sr.top || cy > sr.bottom) continue;
      if (s.tagName === 'image') { found = 'image'; continue; }
      const cs = getComputedStyle(s); const fill = parse(cs.fill);
      if (fill[3] === 0 || cs.fill === 'none') continue;
      const m = s.getScreenCTM(); if (!m) continue;
      const p = new DOMPoint(cx, cy).matrixTransform(m.inverse());
      if (s.isPointInFill && !s.isPointInFill(p)) continue;
      fill[3] *= parseFloat(cs.fillOpacity) * opacity(s);
      found = found && found !== 'image' && fill[3] < 1 ? over(fill, found) : fill;
    }
    if (found === 'image') return null;
    const base = htmlBackground(svg.parentElement || svg);
    return found && base ? over(found, base) : base;
  };
  const out = []; let measured = 0, unmeasured = 0;
  for (const e of deepAll()) {
    const svgText = e.namespaceURI === 'http://www.w3.org/2000/svg' && ['text', 'tspan'].includes(e.tagName);
    const field = ['INPUT', 'TEXTAREA'].includes(e.tagName) && e.value && e.type !== 'range' && e.type !== 'checkbox';
    if (!(ownText(e) || field) || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(e.tagName) || !visible(e)) continue;
    if ([e, ...ancestors(e)].some((a) => a.matches && a.matches(':disabled, [aria-disabled=true], [data-disabled=true]'))) continue;
    const cs = getComputedStyle(e);
    const fg = parse(svgText ? cs.fill : cs.color);
    fg[3] *= opacity(e) * (svgText ? parseFloat(cs.fillOpacity) : 1);
    const bg = svgText ? svgBackground(e) : htmlBackground(e);
    if (!bg || fg[3] === 0) { unmeasured++; continue; }
    measured++;
    const value = ratio(over(fg, bg), bg);
    if (value < minimum) out.push({element: describe(e), ratio: Math.round(value * 100) / 100,
      color: cs.color, fill: svgText ? cs.fill : undefined, background: `rgb(${bg.slice(0, 3).map(Math.round).join(', ')})`,
      box: box(e)});
  }
  return {problems: out, measured, unmeasured};
}
"""

# Rendered text size in CSS px: the computed font size times the element's on-screen scale (SVG viewBox
# scaling, CSS transforms), for every visible text element in the main area and the sidebar.
_TEXT_SIZE_JS = _JS_LIB + r"""
const cssScale = (e) => {
  let s = 1;
  for (let a = e; a && a.nodeType === 1; a = parentOf(a)) {
    const cs = getComputedStyle(a);
    if (cs.transform && cs.transform !== 'none') { const m = new DOMMatrix(cs.transform); s *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)); }
    if (cs.scale && cs.scale !== 'none') { const v = cs.scale.split(' ').map(parseFloat); s *= Math.sqrt(Math.abs(v[0] * (v.length > 1 ? v[1] : v[0]))); }
  }
  return s;
};
(minimum) => {
  const out = [];
  for (const e of deepAll()) {
    if (!ownText(e) || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(e.tagName) || !visible(e)) continue;
    let scale = 1;
    if (e.getScreenCTM && e.ownerSVGElement) { const m = e.getScreenCTM(); if (m) scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)); }
    else {
      // CSS transforms and `scale` on the way up; and the drawn width against the layout width, which
      // offsetWidth rounds to a whole pixel (so up to 0.5 px of the difference is rounding, not scaling).
      scale = cssScale(e);
      const r = e.getBoundingClientRect(); if (e.offsetWidth) scale = Math.min(scale, (r.width + 0.5) / e.offsetWidth);
    }
    const px = parseFloat(getComputedStyle(e).fontSize) * scale;
    if (px < minimum - 0.05) out.push({element: describe(e), px: Math.round(px * 10) / 10, box: box(e)});
  }
  return out;
}
"""


def cut_text(page, selectors: str = CUT_SELECTORS) -> list[dict]:
    """Elements (labels, buttons, tabs, table cells, metrics, headings, and anything inside them) whose
    text does not fit: scrollWidth > clientWidth + 1, or clipped vertically."""
    return page.evaluate(_CUT_JS, selectors)


def horizontal_scroll(page) -> list[dict]:
    """The page's scrolling containers that are wider than the window (a sideways scroll bar)."""
    return page.evaluate(_SCROLL_JS)


def overlaps(page, selector: str = OVERLAP_SELECTORS) -> list[dict]:
    """Each visible element matching `selector` that covers other content (text, images, canvases, inputs)
    outside itself and its ancestors, by more than 2x2 px."""
    return page.evaluate(_OVERLAP_JS, selector)


def axe_violations(page, disable: tuple[str, ...] = ()) -> list[dict]:
    """axe-core violations (bundled axe.min.js from axe-playwright-python: works offline)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in disable}}
    results = Axe().run(page, options=options)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [", ".join(map(str, n["target"])) for n in v["nodes"]][:8]}
            for v in results.response["violations"]]


def low_contrast(page, minimum: float) -> dict:
    """{"problems": text elements under `minimum` contrast, "measured": n, "unmeasured": n (text over
    images or gradients)}. Contrast is the WCAG ratio of the text colour over its effective background."""
    return page.evaluate(_CONTRAST_JS, minimum)


def small_text(page, minimum_px: float) -> list[dict]:
    """Visible text rendered smaller than `minimum_px` CSS px (SVG text scaled by its viewBox counts as drawn)."""
    return page.evaluate(_TEXT_SIZE_JS, minimum_px)


@dataclass
class LayoutReport:
    cut: list = field(default_factory=list)
    scroll: list = field(default_factory=list)
    overlap: list = field(default_factory=list)
    axe: list = field(default_factory=list)
    contrast: list = field(default_factory=list)
    small: list = field(default_factory=list)
    contrast_measured: int = 0

    def clean(self) -> bool:
        return not (self.cut or self.scroll or self.overlap or self.axe or self.contrast or self.small)

    def text(self) -> str:
        parts = []
        for name in ("cut", "scroll", "overlap", "axe", "contrast", "small"):
            items = getattr(self, name)
            if items:
                parts.append(f"{name} ({len(items)}):\n" + "\n".join(f"  {item}" for item in items[:15]))
        return "\n".join(parts) or "clean"


def check_layout(page, layout: Layout, overlap_selector: str = OVERLAP_SELECTORS) -> LayoutReport:
    """Every check at once, with the layout's thresholds (contrast 7:1 / 4.5:1, text 18 / 12 px)."""
    contrast = low_contrast(page, layout.min_contrast)
    return LayoutReport(cut=cut_text(page), scroll=horizontal_scroll(page), overlap=overlaps(page, overlap_selector),
                        axe=axe_violations(page), contrast=contrast["problems"],
                        small=small_text(page, layout.min_text_px), contrast_measured=contrast["measured"])


# Resolves once the page has not changed for `quiet` ms while no script run is going: a page whose first run
# asks for a fragment rerun (Transforms draws its stages that way) is idle for a moment in between.
_QUIET_JS = """(quiet) => new Promise((resolve) => {
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  const idle = () => document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]');
  const tick = () => {
    if (!idle()) last = performance.now();
    if (performance.now() - last >= quiet) { observer.disconnect(); resolve(true); } else setTimeout(tick, 50);
  };
  tick();
})"""


def settle(page, timeout: float = 30_000, quiet_ms: int = 800) -> None:
    """Wait for the script run, until the page has stopped changing (`quiet_ms`), for images and web fonts,
    then two animation frames."""
    wait_idle(page, timeout=timeout)
    page.evaluate(f"(q) => Promise.race([({_QUIET_JS})(q), new Promise((_, no) => setTimeout("
                  f"() => no(new Error('the page kept changing for {timeout / 1000:.0f} s')), {timeout}))])", quiet_ms)
    page.wait_for_function("() => [...document.images].every((i) => i.complete)", timeout=timeout)
    page.evaluate("() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => "
                  "requestAnimationFrame(r))))")


def open_in_layout(page, base_url: str, url_path: str, layout_name: str, query: str = "") -> Layout:
    """Size the window for `layout_name` (a LAYOUTS key), open the page (with ?projector=1 for projector
    layouts) and wait until it has settled."""
    layout = LAYOUTS[layout_name]
    page.set_viewport_size({"width": layout.width, "height": layout.height})
    params = "&".join(p for p in (query, "projector=1" if layout.projector else "") if p)
    goto(page, base_url, url_path, params)
    settle(page)
    return layout


def layout_shot(page, page_name: str, layout_name: str):
    """artifacts/screenshots/layout-<page>-<layout>.png of the whole page."""
    return shot(page, f"layout-{page_name}-{layout_name}")
