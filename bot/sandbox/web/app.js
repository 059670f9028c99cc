// The sandbox's web chat: two panes, each a person's VK Messenger dialog with the community.
// Every text comes from the server (the locales); the server pushes dialogs over a WebSocket.
"use strict";

const params = new URLSearchParams(location.search);
const LANG = params.get("lang") === "en" ? "en" : "ru";
const DEFAULT_PEOPLE = [3, 2]; // a teacher beside the school's administrator
const NEW = "new";
const SNACKBAR_MS = 10000;

let labels = {};
let community = { id: 0, name: "" };
let people = [];
let socket = null;
const panes = [];

const t = (key) => labels[key] || key;

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(path + (path.includes("?") ? "&" : "?") + "lang=" + LANG, options);
  } catch (e) {
    throw new Error(t("sandbox-err-network"));
  }
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok || data === null) {
    throw new Error((data && data.error) || t("sandbox-err-request"));
  }
  return data;
}

function applyLabels(root) {
  root.querySelectorAll("[data-label]").forEach((el) => { el.textContent = t(el.dataset.label); });
  root.querySelectorAll("[data-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.placeholder); });
  root.querySelectorAll("[data-title]").forEach((el) => {
    el.title = t(el.dataset.title);
    el.setAttribute("aria-label", el.title);
  });
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// Links in a message are clickable; a link to this community opens as VK opens it.
function linkify(text) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return parts.map((part, i) => {
    if (i % 2 === 0) return escapeHtml(part);
    const url = part.replace(/[.,;:!?)»]+$/, "");
    const tail = part.slice(url.length);
    return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(url)}</a>${escapeHtml(tail)}`;
  }).join("");
}

function isCommunityLink(url) {
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/^\/+|\/+$/g, "");
    return (u.hostname === "vk.me" || u.hostname === "m.vk.me") &&
      (path === "club" + community.id || path === "public" + community.id);
  } catch (e) {
    return false;
  }
}

function time(date) {
  if (!date) return "";
  const d = new Date(date * 1000);
  return d.toLocaleTimeString(LANG === "en" ? "en-GB" : "ru-RU", { hour: "2-digit", minute: "2-digit" });
}

function sizeText(bytes) {
  if (bytes < 1024) return bytes + " B";
  return (bytes / 1024).toFixed(1) + " KB";
}

class Pane {
  constructor(index, userId) {
    this.index = index;
    this.userId = userId;
    this.state = null;
    this.lastSnackbar = null;
    this.snackbarTimer = 0;
    const node = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
    applyLabels(node);
    node.dataset.pane = String(index);
    this.node = node;
    this.el = (sel) => node.querySelector(sel);
    document.getElementById("panes").appendChild(node);
    this.el(".community-name").textContent = community.name;
    this.el(".community-avatar").textContent = community.name.slice(0, 1);
    this.el(".person").addEventListener("change", (e) => this.onPick(e.target.value));
    this.el(".client").addEventListener("change", (e) => this.setClient(e.target.value));
    this.el(".new-person").addEventListener("submit", (e) => { e.preventDefault(); this.addPerson(); });
    this.el(".new-person .cancel").addEventListener("click", () => {
      this.el(".new-person").hidden = true;
      this.renderPeople();
    });
    this.el(".composer").addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    this.el(".text").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); this.send(); }
    });
    node.addEventListener("click", (e) => this.onClick(e));
    // A person reading the newest message keeps it in view when the window changes size.
    const history = this.el(".history");
    this.following = true;
    history.addEventListener("scroll", () => {
      this.following = history.scrollHeight - history.scrollTop - history.clientHeight < 40;
    });
    new ResizeObserver(() => {
      if (this.following) history.scrollTop = history.scrollHeight;
    }).observe(history);
    this.renderPeople();
  }

  renderPeople() {
    const select = this.el(".person");
    select.innerHTML = "";
    for (const p of people) {
      const option = new Option(`${p.name} — ${p.part}`, String(p.id));
      select.appendChild(option);
    }
    select.appendChild(new Option(t("sandbox-new-person"), NEW));
    select.value = String(this.userId);
    const me = people.find((p) => p.id === this.userId);
    this.el(".who").textContent = me ? me.name : "";
  }

  onPick(value) {
    if (value === NEW) {
      this.el(".new-person").hidden = false;
      this.el(".first-name").focus();
      return;
    }
    this.el(".new-person").hidden = true;
    this.show(Number(value));
  }

  show(userId) {
    this.userId = userId;
    this.state = null;
    this.lastSnackbar = null;
    this.rendered = false;
    this.following = true;
    this.el(".history").innerHTML = "";
    this.el(".keyboard").innerHTML = "";
    this.hideError();
    this.renderPeople();
    saveLayout();
    watch();
  }

  async addPerson() {
    try {
      const made = await api("/api/people", {
        first_name: this.el(".first-name").value,
        last_name: this.el(".last-name").value,
      });
      this.el(".new-person").hidden = true;
      this.el(".first-name").value = "";
      this.el(".last-name").value = "";
      people.push({ id: made.id, name: "", part: "", client: "phone" });
      this.show(made.id);
    } catch (e) {
      this.showError(e.message);
    }
  }

  async setClient(kind) {
    try {
      await api("/api/client", { user: this.userId, client: kind });
      this.hideError();
    } catch (e) {
      this.showError(e.message);
    }
  }

  async send() {
    const box = this.el(".text");
    const text = box.value;
    try {
      await api("/api/say", { user: this.userId, text });
      box.value = "";
      this.hideError();
    } catch (e) {
      this.showError(e.message);
    }
  }

  async start() {
    try {
      await api("/api/say", { user: this.userId, start: true });
      this.hideError();
    } catch (e) {
      this.showError(e.message);
    }
  }

  async press(button) {
    const kind = button.dataset.type;
    if (kind === "open_link") {
      openLink(button.dataset.link, this);
      return;
    }
    try {
      await api("/api/press", {
        user: this.userId,
        cmid: Number(button.dataset.cmid),
        type: kind,
        label: button.dataset.label,
        payload: button.dataset.payload,
      });
      this.hideError();
    } catch (e) {
      this.showError(e.message);
    }
  }

  onClick(e) {
    const button = e.target.closest(".kb-btn");
    if (button) { this.press(button); return; }
    if (e.target.closest(".start")) { this.start(); return; }
    const link = e.target.closest(".bubble a");
    if (link && isCommunityLink(link.href)) {
      e.preventDefault();
      openLink(link.href, this);
    }
  }

  showError(text) {
    const box = this.el(".error");
    box.textContent = text;
    box.hidden = false;
  }

  hideError() { this.el(".error").hidden = true; }

  render(state) {
    const history = this.el(".history");
    const atBottom = this.following;
    this.state = state;
    this.el(".client").value = state.client;
    history.innerHTML = "";
    if (!state.messages.length) {
      const empty = document.createElement("div");
      empty.className = "empty";
      empty.innerHTML = `<div>${escapeHtml(t("sandbox-empty"))}</div>` +
        `<button type="button" class="btn primary start">${escapeHtml(t("sandbox-start-button"))}</button>`;
      history.appendChild(empty);
    }
    let standard = null;
    for (const m of state.messages) {
      history.appendChild(this.message(m));
      if (m.out && m.keyboard && !m.keyboard.inline) standard = m;
      // A one-time keyboard hides once the person has answered.
      if (!m.out && standard && standard.keyboard.one_time) standard = null;
    }
    const keyboard = this.el(".keyboard");
    keyboard.innerHTML = "";
    if (standard && standard.keyboard.buttons.length) {
      keyboard.appendChild(this.keyboard(standard));
    }
    const stick = atBottom || !this.rendered;
    if (stick) {
      history.scrollTop = history.scrollHeight;
      // A picture gets its height only once loaded: keep the newest message in view.
      history.querySelectorAll("img").forEach((img) => img.addEventListener("load", () => {
        if (this.following) history.scrollTop = history.scrollHeight;
      }, { once: true }));
    }
    this.rendered = true;
    this.snackbar(state.snackbars);
  }

  message(m) {
    const wrap = document.createElement("div");
    wrap.className = "msg " + (m.out ? "in" : "out"); // the bot's messages come in
    wrap.dataset.cmid = String(m.cmid);
    wrap.dataset.from = m.out ? "bot" : "person";
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    const meta = `<span class="meta">${m.edited ? escapeHtml(t("sandbox-edited")) + " · " : ""}${time(m.date)}</span>`;
    bubble.innerHTML = `<span class="body">${linkify(m.text)}</span>${meta}`;
    for (const a of m.attachments) {
      if (a.type === "photo") {
        const img = document.createElement("img");
        img.className = "photo";
        img.src = a.url;
        img.alt = "photo";
        bubble.appendChild(img);
      } else {
        const doc = document.createElement("a");
        doc.className = "doc";
        doc.href = a.url;
        doc.download = a.title;
        const ext = (a.title.split(".").pop() || "").toUpperCase().slice(0, 4);
        doc.innerHTML = `<span class="doc-icon">${escapeHtml(ext)}</span><span><div class="doc-title">` +
          `${escapeHtml(a.title)}</div><div class="doc-size">${sizeText(a.size)} · ${escapeHtml(t("sandbox-download"))}</div></span>`;
        bubble.appendChild(doc);
      }
    }
    wrap.appendChild(bubble);
    if (m.out && m.keyboard && m.keyboard.inline && m.keyboard.buttons.length) {
      const kb = this.keyboard(m);
      kb.classList.add("inline-kb");
      wrap.appendChild(kb);
    }
    return wrap;
  }

  keyboard(m) {
    const box = document.createElement("div");
    for (const row of m.keyboard.buttons) {
      const rowEl = document.createElement("div");
      rowEl.className = "kb-row";
      for (const b of row) {
        const a = b.action;
        const el = document.createElement("button");
        el.type = "button";
        el.className = "kb-btn " + (b.color || (a.type === "open_link" ? "secondary" : "secondary"));
        el.textContent = a.label || a.type;
        el.title = a.label || "";
        el.dataset.type = a.type;
        el.dataset.cmid = String(m.cmid);
        el.dataset.label = a.label || "";
        if (a.payload !== undefined) {
          el.dataset.payload = typeof a.payload === "string" ? a.payload : JSON.stringify(a.payload);
        }
        if (a.type === "open_link") {
          el.dataset.link = a.link;
          el.classList.add("link");
        }
        // A client without callback buttons shows an old message's ones as inert.
        if (a.type === "callback" && this.state && ["old", "keyboard"].includes(this.state.client)) {
          el.disabled = true;
        }
        rowEl.appendChild(el);
      }
      box.appendChild(rowEl);
    }
    return box;
  }

  snackbar(list) {
    const newest = list.length ? list[list.length - 1].seq : 0;
    if (this.lastSnackbar === null) { this.lastSnackbar = newest; return; }
    if (newest <= this.lastSnackbar) return;
    this.lastSnackbar = newest;
    const bar = this.el(".snackbar");
    bar.textContent = list[list.length - 1].text;
    bar.hidden = false;
    clearTimeout(this.snackbarTimer);
    this.snackbarTimer = setTimeout(() => { bar.hidden = true; }, SNACKBAR_MS);
  }
}

function openLink(url, fromPane) {
  if (!isCommunityLink(url)) {
    window.open(url, "_blank", "noopener");
    return;
  }
  const dialog = document.getElementById("link-dialog");
  const select = dialog.querySelector(".link-person");
  select.innerHTML = "";
  for (const p of people) select.appendChild(new Option(`${p.name} — ${p.part}`, String(p.id)));
  // The link is usually shared with someone else: the other pane's person is offered first.
  const other = panes.find((p) => p !== fromPane) || fromPane;
  select.value = String(other.userId);
  dialog.querySelector(".link-url").value = url;
  dialog.querySelector(".link-error").hidden = true;
  dialog.showModal();
}

async function followLink() {
  const dialog = document.getElementById("link-dialog");
  const userId = Number(dialog.querySelector(".link-person").value);
  try {
    await api("/api/open-link", { user: userId, url: dialog.querySelector(".link-url").value });
    dialog.close();
    const shown = panes.find((p) => p.userId === userId);
    if (!shown) panes[panes.length - 1].show(userId);
  } catch (e) {
    const box = dialog.querySelector(".link-error");
    box.textContent = e.message;
    box.hidden = false;
  }
}

function renderViolations(list) {
  const box = document.getElementById("violations");
  const ul = document.getElementById("violation-list");
  ul.innerHTML = "";
  for (const v of list) {
    const li = document.createElement("li");
    li.textContent = `${v.method} ${v.param}: ${v.problem}`;
    ul.appendChild(li);
  }
  box.hidden = list.length === 0;
}

function watch() {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ watch: panes.map((p) => p.userId) }));
  }
}

function connect(delay) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${proto}//${location.host}/ws?lang=${LANG}`);
  socket.onopen = () => {
    document.getElementById("offline").hidden = true;
    delay = 500;
    watch();
  };
  socket.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type === "dialog") {
      for (const pane of panes) if (pane.userId === msg.state.user) pane.render(msg.state);
    } else if (msg.type === "people") {
      people = msg.people;
      for (const pane of panes) pane.renderPeople();
    } else if (msg.type === "violations") {
      renderViolations(msg.violations);
    }
  };
  socket.onclose = () => {
    document.getElementById("offline").hidden = false;
    setTimeout(() => connect(Math.min(delay * 2, 5000)), delay);
  };
}

function saveLayout() {
  try {
    localStorage.setItem("sandbox-panes", JSON.stringify(panes.map((p) => p.userId)));
  } catch (e) { /* private mode: the layout is just not remembered */ }
}

function savedLayout() {
  const fromUrl = ["left", "right"].map((k) => Number(params.get(k))).filter((x) => x > 0);
  if (fromUrl.length === 2) return fromUrl;
  try {
    const saved = JSON.parse(localStorage.getItem("sandbox-panes") || "null");
    if (Array.isArray(saved) && saved.length === 2) return saved.map(Number);
  } catch (e) { /* unreadable: the default layout */ }
  return DEFAULT_PEOPLE;
}

async function main() {
  const config = await api("/api/config");
  labels = config.labels;
  community = config.community;
  people = config.people;
  document.documentElement.lang = LANG;
  document.title = t("sandbox-title");
  applyLabels(document);
  const known = new Set(people.map((p) => p.id));
  savedLayout().forEach((id, i) => {
    const userId = known.has(id) ? id : (people[i] || people[0]).id;
    panes.push(new Pane(i, userId));
  });
  const dialog = document.getElementById("link-dialog");
  dialog.querySelector(".link-form").addEventListener("submit", (e) => { e.preventDefault(); followLink(); });
  dialog.querySelector(".link-cancel").addEventListener("click", () => dialog.close());
  connect(500);
}

main().catch((e) => {
  document.getElementById("panes").textContent = e.message;
});
