// The Anatomy page's layer-stack editor: one row per layer (a type menu and four number boxes), a bin
// per row and "+ Add layer" under the table. Every committed edit (Enter, Tab/blur, a menu choice, a
// bin or + click) sends the whole stack at once with setStateValue("rows", ...), so the shape table
// next to it updates in one round trip (st.data_editor waits 150 ms before it sends an edit).
// The rows typed here are the truth while the editor is mounted; Python echoes them back as data.rows.
const NUMS = ["out", "k", "stride", "padding"];

function parseNum(text) {
  const t = String(text ?? "").trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? Math.min(1000000, Math.max(0, Math.round(v))) : null;
}

function cellInput(st, i, col) {
  const input = document.createElement("input");
  input.type = "text";  // not "number": no spinner, and the mouse wheel never changes a value by accident
  input.inputMode = "numeric";
  input.autocomplete = "off";
  input.className = "ae-num";
  input.dataset.row = String(i);
  input.dataset.col = col;
  const v = st.rows[i][col];
  input.value = v === null || v === undefined ? "" : String(v);
  input.setAttribute("aria-label", `Row ${i + 1} ${st.d.titles[col]}`);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); commit(st, i, col, input.value); input.select(); }
    else if (ev.key === "ArrowUp" || ev.key === "ArrowDown") {
      ev.preventDefault();
      commit(st, i, col, input.value);
      const next = st.root.querySelector(`input[data-row="${i + (ev.key === "ArrowUp" ? -1 : 1)}"][data-col="${col}"]`);
      if (next) { next.focus(); next.select(); }
    }
  });
  input.addEventListener("change", () => commit(st, i, col, input.value));
  return input;
}

function kindSelect(st, i) {
  const sel = document.createElement("select");
  sel.className = "ae-kind";
  sel.dataset.row = String(i);
  sel.dataset.col = "layer";
  sel.setAttribute("aria-label", `Row ${i + 1} layer type`);
  for (const [value, name] of st.d.kinds) {
    const opt = document.createElement("option");
    opt.value = value;
    opt.textContent = value;
    opt.title = name;
    sel.appendChild(opt);
  }
  sel.value = st.rows[i].layer;
  sel.addEventListener("change", () => commit(st, i, "layer", sel.value));
  return sel;
}

function commit(st, i, col, raw) {
  if (!st.rows[i]) return;
  const value = col === "layer" ? raw : parseNum(raw);
  const box = st.root.querySelector(`input[data-row="${i}"][data-col="${col}"]`);
  if (box && col !== "layer") box.value = value === null ? "" : String(value);  // show what counts
  if (st.rows[i][col] === value) return;
  st.rows[i] = { ...st.rows[i], [col]: value };
  send(st);
}

function send(st) {
  st.seq += 1;
  st.setStateValue("rows", { rows: st.rows, seq: st.seq, version: st.d.version });
}

function build(st) {
  const body = st.root.querySelector("tbody");
  body.replaceChildren();
  st.rows.forEach((row, i) => {
    const tr = document.createElement("tr");
    const num = document.createElement("th");
    num.textContent = String(i + 1);
    num.scope = "row";
    tr.appendChild(num);
    const kind = document.createElement("td");
    kind.appendChild(kindSelect(st, i));
    tr.appendChild(kind);
    for (const col of NUMS) {
      const td = document.createElement("td");
      td.appendChild(cellInput(st, i, col));
      tr.appendChild(td);
    }
    const del = document.createElement("td");
    const bin = document.createElement("button");
    bin.type = "button";
    bin.className = "ae-del";
    bin.textContent = "✕";
    bin.title = `Delete row ${i + 1}`;
    bin.setAttribute("aria-label", `Delete row ${i + 1}`);
    bin.addEventListener("click", () => {
      st.rows.splice(i, 1);
      build(st);
      send(st);
      const add = st.root.querySelector(".ae-add");
      add.disabled = Boolean(st.d.disabled) || st.rows.length >= (st.d.max_rows || 64);
    });
    del.appendChild(bin);
    tr.appendChild(del);
    body.appendChild(tr);
  });
}

function setup(root) {
  const st = { root, rows: [], seq: 0, d: null, version: null, setStateValue: null };
  const head = root.querySelector("thead tr");
  root.querySelector(".ae-add").addEventListener("click", () => {
    if (st.rows.length >= (st.d.max_rows || 64)) return;
    st.rows.push({ layer: st.d.new_kind, out: null, k: null, stride: null, padding: null });
    build(st);
    send(st);
    root.querySelector(".ae-add").disabled = st.rows.length >= (st.d.max_rows || 64);
    const added = root.querySelector(`select[data-row="${st.rows.length - 1}"]`);
    if (added) added.focus();
  });
  st.head = head;
  return st;
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const root = parentElement.querySelector(".ae-root");
  if (!root || !data) return;
  if (!root.__ae) root.__ae = setup(root);
  const st = root.__ae;
  st.setStateValue = setStateValue;
  st.d = data;
  root.classList.toggle("ae-projector", Boolean(data.projector));
  st.head.querySelectorAll("th[data-col]").forEach((th) => {
    th.textContent = data.titles[th.dataset.col];
    th.title = data.help[th.dataset.col];
  });
  // A new preset, a reset, or a remount takes the rows from Python; otherwise the rows typed here
  // (already sent, perhaps not yet echoed) stay, so a slow rerun never undoes a newer edit.
  if (st.version !== data.version || (data.seq || 0) > st.seq) {
    st.version = data.version;
    st.seq = data.seq || 0;
    st.rows = data.rows.map((r) => ({ ...r }));
    build(st);
  }
  root.querySelectorAll("input, select, button").forEach((el) => { el.disabled = Boolean(data.disabled); });
  const add = root.querySelector(".ae-add");
  if (st.rows.length >= (data.max_rows || 64)) { add.disabled = true; add.title = `At most ${data.max_rows} layers`; }
  root.dataset.version = String(data.version);
  // Tell the depth chart which stack the shape table now shows, once this frame is drawn.
  requestAnimationFrame(() => setTimeout(() => window.dispatchEvent(
    new CustomEvent("convlab-anatomy-stack", { detail: data.stack_id })), 0));
  root.dataset.seq = String(data.seq || 0);
}
