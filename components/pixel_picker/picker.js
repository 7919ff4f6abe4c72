// Input and output images side by side. A click on the output moves both outlines at once (drawn here,
// so no image is re-sent) and reports {row, col, t} with setStateValue("pick", ...); the page then
// shows that pixel's arithmetic. The images are plain URLs served by Streamlit itself (localhost).
function place(box, top, left, h, w, minPx) {
  box.style.display = "block";
  box.style.top = `calc(${(100 * (top + h / 2))}% - max(${minPx / 2}px, ${50 * h}%))`;
  box.style.left = `calc(${(100 * (left + w / 2))}% - max(${minPx / 2}px, ${50 * w}%))`;
  box.style.height = `max(${minPx}px, ${100 * h}%)`;
  box.style.width = `max(${minPx}px, ${100 * w}%)`;
}

function clip(start, size) {  // [start, start + size) cut to the picture [0, 1)
  const lo = Math.max(0, start), hi = Math.min(1, start + size);
  return [lo, Math.max(0, hi - lo)];
}

function draw(root, d, row, col) {
  root.dataset.row = String(row);
  root.dataset.col = String(col);
  const span = d.dil * (d.k - 1) + 1;
  let [top, h] = [(row * d.stride - d.pad) / d.in_h, span / d.in_h];
  let [left, w] = [(col * d.stride - d.pad) / d.in_w, span / d.in_w];
  if (d.clip) [[top, h], [left, w]] = [clip(top, h), clip(left, w)];
  place(root.querySelector('[data-role="window"]'), top, left, h, w, 8);
  place(root.querySelector('[data-role="pixel"]'), row / d.out_h, col / d.out_w, 1 / d.out_h, 1 / d.out_w, 10);
}

function setup(root) {
  const st = { lastT: 0, d: null, send: null };
  const out = root.querySelector(".pp-click");
  out.addEventListener("click", (ev) => {
    const d = st.d;
    if (!d) return;
    const r = out.querySelector("img").getBoundingClientRect();
    const row = Math.min(d.out_h - 1, Math.max(0, Math.floor((ev.clientY - r.top) / r.height * d.out_h)));
    const col = Math.min(d.out_w - 1, Math.max(0, Math.floor((ev.clientX - r.left) / r.width * d.out_w)));
    st.lastT = Date.now();
    draw(root, d, row, col);
    st.send("pick", { row, col, t: st.lastT });
  });
  return st;
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const root = parentElement.querySelector(".pp-root");
  if (!root || !data) return;
  if (!root.__pp) root.__pp = setup(root);
  const st = root.__pp;
  st.send = setStateValue;
  st.d = data;
  const imgs = root.querySelectorAll("img");
  if (imgs[0].getAttribute("src") !== data.in_src) imgs[0].setAttribute("src", data.in_src);
  if (imgs[1].getAttribute("src") !== data.out_src) imgs[1].setAttribute("src", data.out_src);
  root.querySelector('[data-role="in-label"]').textContent = data.in_label;
  root.querySelector('[data-role="out-label"]').textContent = data.out_label;
  root.style.fontSize = data.projector ? "1.05rem" : "1rem";
  root.querySelectorAll(".pp-fig").forEach((f) => { f.style.maxWidth = `${data.width}px`; });
  // A click newer than the one this data was computed for keeps its own outline until its rerun lands.
  if ((data.t || 0) >= st.lastT) draw(root, data, data.row, data.col);
}
