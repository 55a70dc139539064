// The playground page: polls the state, renders a small Slack, and sends people's actions.

import { append, h, replace } from "./dom.js";
import { readInputs, renderBlocks, showErrors } from "./blockkit.js";
import { mrkdwn, plain } from "./mrkdwn.js";

const API = "/playground/api/";
const POLL_MS = 500;
const COMMAND_HINT = "/relationship [describe the deal] | help | list: check whether a deal is a partnership or a collaboration";

const ui = {
  user: null, // who is acting (a person's id)
  view: null, // a conversation id
  appTab: "home", // "home" | "messages" when the app is open
  thread: null, // { channel, ts } of the open thread
  pinsOpen: false,
  state: null,
  rendered: null, // the state version last rendered
  modalKey: null, // the modal (id and hash) on screen
  dismissed: new Set(), // ephemeral messages closed by the person
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------- talking to it

async function fetchState() {
  const query = ui.user ? `?user=${encodeURIComponent(ui.user)}` : "";
  const response = await fetch(`${API}state${query}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
  return response.json();
}

async function act(name, body) {
  let answer;
  try {
    const response = await fetch(API + name, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: ui.user, ...body }),
    });
    answer = await response.json();
  } catch (error) {
    answer = { ok: false, error: "The playground is not answering. Is it still running?" };
  }
  if (!answer.ok) toast(answer.error || "That didn't work.");
  refresh();
  return answer;
}

// One poll at a time: a refresh asked for during a poll runs right after it.
const poll = { timer: null, running: false, again: false };

async function refresh() {
  if (poll.running) {
    poll.again = true;
    return;
  }
  poll.running = true;
  clearTimeout(poll.timer);
  try {
    let state = null;
    try {
      state = await fetchState();
      document.body.classList.remove("offline");
    } catch (error) {
      document.body.classList.add("offline");
    }
    if (state) {
      ui.state = state;
      ui.user = ui.user || state.me.id;
      if (state.version !== ui.rendered) {
        ui.rendered = state.version;
        render();
      }
    }
  } finally {
    poll.running = false;
    if (poll.again) {
      poll.again = false;
      setTimeout(refresh, 0);
    } else {
      poll.timer = setTimeout(refresh, POLL_MS);
    }
  }
}

function toast(message) {
  const note = h("div", { className: "toast", attrs: { role: "status" } }, message);
  $("toasts").append(note);
  setTimeout(() => note.remove(), 6000);
}

// ------------------------------------------------------------------------------- helpers

const conversation = (id) => ui.state.conversations.find((c) => c.id === id);
const nameOf = (id) => ui.state.names[id] || id;

function clock(ts) {
  const moment = new Date(Number(ts) * 1000);
  return moment.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

function keepScroll(box, renderInto) {
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const top = box.scrollTop;
  renderInto();
  box.scrollTop = atBottom ? box.scrollHeight : top;
}

function blockContext(extra) {
  const state = ui.state;
  return {
    names: state.names,
    people: state.people,
    conversations: state.conversations
      .filter((c) => c.kind !== "app")
      .map((c) => ({ id: c.id, kind: c.kind, label: c.kind === "channel" ? `#${c.name}` : `${c.name} (direct message)` })),
    currentChannel: ui.view,
    openPermalink,
    ...extra,
  };
}

function openPermalink(channel, ts) {
  const target = conversation(channel);
  if (!target) {
    toast("That message is in a conversation you can't see here.");
    return;
  }
  ui.view = channel;
  ui.pinsOpen = false;
  const message = target.messages.find((m) => m.ts === ts);
  ui.thread = message && (message.replies || []).length ? { channel, ts } : null;
  render();
}

// -------------------------------------------------------------------------------- render

function render() {
  const state = ui.state;
  if (!ui.view || !conversation(ui.view)) ui.view = state.conversations[0].id;
  if (ui.thread && !conversation(ui.thread.channel)) ui.thread = null;
  document.title = `${viewTitle()} - ${state.workspace.name} - Relationship Bot playground`;
  renderSidebar();
  renderMain();
  renderThread();
  renderModal();
}

function viewTitle() {
  const current = conversation(ui.view);
  return current.kind === "channel" ? `#${current.name}` : current.name;
}

function renderSidebar() {
  const state = ui.state;
  const item = (c, icon) =>
    h(
      "button",
      {
        type: "button",
        className: `side-item ${c.id === ui.view ? "active" : ""}`,
        attrs: { "aria-current": c.id === ui.view ? "page" : null, "data-conversation": c.name },
        onclick: () => openConversation(c.id),
      },
      h("span", { className: "side-icon", attrs: { "aria-hidden": "true" } }, icon),
      c.name,
    );
  const section = (title, kind, icon) => [
    h("div", { className: "side-title" }, title),
    state.conversations.filter((c) => c.kind === kind).map((c) => item(c, icon)),
  ];
  replace(
    $("sidebar-body"),
    section("Channels", "channel", "#"),
    section("Direct messages", "dm", "●"),
    section("Apps", "app", "🤝"),
  );
  $("workspace-name").textContent = state.workspace.name;
  const who = $("acting-as");
  if (who.options.length !== state.people.length) {
    replace(who, state.people.map((p) => h("option", { value: p.id }, `${p.name} (${p.real_name})`)));
  }
  who.value = ui.user;
}

function openConversation(id) {
  if (id !== ui.view) ui.thread = null;
  ui.view = id;
  ui.pinsOpen = false;
  const target = conversation(id);
  if (target.kind === "app") act("home", { tab: ui.appTab });
  render();
}

function renderMain() {
  const current = conversation(ui.view);
  const isApp = current.kind === "app";
  renderHeader(current);
  $("composer").hidden = isApp && ui.appTab === "home";
  $("composer-input").placeholder = isApp
    ? "Sending messages to this app has been turned off."
    : `Message ${viewTitle()}`;
  $("composer-input").disabled = isApp;
  const timeline = $("timeline");
  if (isApp && ui.appTab === "home") {
    keepScroll(timeline, () => replace(timeline, homeTab()));
    return;
  }
  keepScroll(timeline, () => replace(timeline, messages(current)));
}

function renderHeader(current) {
  const header = $("channel-header");
  if (current.kind === "app") {
    const tab = (name, label) =>
      h(
        "button",
        {
          type: "button",
          className: `tab ${ui.appTab === name ? "active" : ""}`,
          attrs: { role: "tab", "aria-selected": String(ui.appTab === name) },
          onclick: () => {
            ui.appTab = name;
            act("home", { tab: name });
            render();
          },
        },
        label,
      );
    replace(
      header,
      h("h1", { className: "channel-title" }, "🤝 ", current.name),
      h("div", { className: "tabs", attrs: { role: "tablist" } }, tab("home", "Home"), tab("messages", "Messages")),
    );
    return;
  }
  const pins = current.pins.length;
  replace(
    header,
    h("h1", { className: "channel-title" }, viewTitle()),
    current.kind === "channel" && !current.bot_member
      ? h("span", { className: "header-note" }, "Relationship Bot is not in this channel yet")
      : null,
    h(
      "button",
      {
        type: "button",
        className: `pins-button ${ui.pinsOpen ? "active" : ""}`,
        attrs: { "aria-expanded": String(ui.pinsOpen), "aria-label": `${pins} pinned` },
        onclick: () => {
          ui.pinsOpen = !ui.pinsOpen;
          render();
        },
      },
      `📌 ${pins}`,
    ),
    ui.pinsOpen ? pinsPanel(current) : null,
  );
}

function pinsPanel(current) {
  const pinned = current.messages.filter((m) => current.pins.includes(m.ts));
  return h(
    "div",
    { className: "pins-panel", attrs: { role: "region", "aria-label": "Pinned messages" } },
    h("div", { className: "pins-title" }, "Pinned messages"),
    pinned.length === 0 ? h("div", { className: "empty" }, "Nothing is pinned in this channel yet.") : null,
    pinned.map((m) =>
      h(
        "div",
        { className: "pin-item" },
        h("div", { className: "pin-author" }, author(m)),
        h("div", { className: "pin-text" }, summary(m)),
        h(
          "button",
          { type: "button", className: "link", onclick: () => act("pin", { channel: current.id, ts: m.ts, pinned: false }) },
          "Un-pin",
        ),
      ),
    ),
  );
}

function summary(message) {
  const header = (message.blocks || []).find((b) => b.type === "header");
  if (header) return plain(header.text);
  return mrkdwn(message.text || "", { names: ui.state.names });
}

const isBot = (message) => Boolean(message.bot_id) || message.user === ui.state.bot.id;
const author = (message) => (isBot(message) ? ui.state.bot.name : nameOf(message.user));
// Messages Slack shows as a line of its own (joins, pins), not as someone's message.
const SYSTEM_SUBTYPES = new Set(["pinned_item", "channel_join", "channel_leave", "group_join", "group_leave"]);

function systemRow(message) {
  return h(
    "div",
    { className: "msg system", attrs: { "data-ts": message.ts, "data-testid": "system-message" } },
    h("div", { className: "system-text" }, mrkdwn(message.text || "", { names: ui.state.names }), " ", h("time", {}, clock(message.ts))),
  );
}

function messages(current) {
  const items = [...current.messages.map((m) => ({ kind: "message", ts: m.ts, message: m }))];
  for (const e of ui.state.ephemerals) {
    if (e.channel === current.id && !e.thread_ts && !ui.dismissed.has(e.ts)) {
      items.push({ kind: "ephemeral", ts: e.ts, message: e });
    }
  }
  items.sort((a, b) => Number(a.ts) - Number(b.ts));
  if (items.length === 0) {
    return h(
      "div",
      { className: "empty intro" },
      current.kind === "channel"
        ? [h("strong", {}, `This is the very beginning of ${viewTitle()}.`), h("br"), "Type /relationship below to check a deal."]
        : "No messages yet.",
    );
  }
  return items.map((item) =>
    item.kind === "ephemeral" ? ephemeral(item.message) : messageRow(current, item.message, { inThread: false }),
  );
}

function ephemeral(e) {
  return h(
    "div",
    { className: "msg ephemeral", attrs: { "data-ts": e.ts, "data-testid": "ephemeral" } },
    avatar(true, ui.state.bot.name),
    h(
      "div",
      { className: "msg-body" },
      h("div", { className: "msg-head" }, h("span", { className: "author" }, ui.state.bot.name), h("span", { className: "badge" }, "APP"), h("time", {}, clock(e.ts))),
      h("div", { className: "only-you" }, "👁 Only visible to you"),
      h("div", { className: "msg-content" }, content(e, null, null)),
      h("button", { type: "button", className: "link", onclick: () => { ui.dismissed.add(e.ts); render(); } }, "Dismiss"),
    ),
  );
}

function avatar(bot, name) {
  return h(
    "div",
    { className: `avatar ${bot ? "bot" : ""}`, attrs: { "aria-hidden": "true" } },
    bot ? "🤝" : (name || "?").slice(0, 1).toUpperCase(),
  );
}

function content(message, current, ts) {
  const blocks = message.blocks || [];
  if (blocks.length === 0) return mrkdwn(message.text || "", { names: ui.state.names });
  const onAction = current
    ? (action) => act("click", { ...action, channel: current.id, ts })
    : null;
  return renderBlocks(blocks, blockContext({ onAction }));
}

function messageRow(current, message, { inThread }) {
  if (SYSTEM_SUBTYPES.has(message.subtype)) return systemRow(message);
  const pinned = current.pins.includes(message.ts);
  const bot = isBot(message);
  const replies = message.replies || [];
  const tools = h(
    "div",
    { className: "msg-tools" },
    !inThread && current.kind !== "app"
      ? h("button", { type: "button", className: "tool", attrs: { "aria-label": "Reply in thread", title: "Reply in thread" }, onclick: () => openThread(current.id, message.ts) }, "💬")
      : null,
    current.kind === "channel" || current.kind === "dm"
      ? h(
          "button",
          {
            type: "button",
            className: "tool",
            attrs: { "aria-label": pinned ? "Un-pin from channel" : "Pin to channel", title: pinned ? "Un-pin from channel" : "Pin to channel" },
            onclick: () => act("pin", { channel: current.id, ts: message.ts, pinned: !pinned }),
          },
          "📌",
        )
      : null,
  );
  return h(
    "div",
    {
      className: `msg ${pinned ? "pinned" : ""}`,
      attrs: { "data-ts": message.ts, "data-testid": bot ? "bot-message" : "message" },
    },
    avatar(bot, author(message)),
    h(
      "div",
      { className: "msg-body" },
      pinned ? h("div", { className: "pinned-note" }, "📌 Pinned") : null,
      h(
        "div",
        { className: "msg-head" },
        h("span", { className: "author" }, author(message)),
        bot ? h("span", { className: "badge" }, "APP") : null,
        h("time", {}, clock(message.ts)),
        message.edited ? h("span", { className: "edited" }, "(edited)") : null,
      ),
      h("div", { className: "msg-content" }, content(message, current, message.ts)),
      !inThread && replies.length > 0
        ? h(
            "button",
            { type: "button", className: "replies-link", onclick: () => openThread(current.id, message.ts) },
            `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`,
          )
        : null,
    ),
    tools,
  );
}

function openThread(channel, ts) {
  ui.thread = { channel, ts };
  render();
  $("reply-input").focus();
}

// --------------------------------------------------------------------------------- thread

function renderThread() {
  const pane = $("thread");
  if (!ui.thread) {
    pane.hidden = true;
    document.body.classList.remove("with-thread");
    return;
  }
  const current = conversation(ui.thread.channel);
  const parent = current.messages.find((m) => m.ts === ui.thread.ts);
  if (!parent) {
    ui.thread = null;
    pane.hidden = true;
    document.body.classList.remove("with-thread");
    return;
  }
  pane.hidden = false;
  document.body.classList.add("with-thread");
  $("thread-where").textContent = current.kind === "channel" ? `#${current.name}` : current.name;
  const replies = parent.replies || [];
  const notes = ui.state.ephemerals.filter((e) => e.channel === current.id && e.thread_ts === parent.ts && !ui.dismissed.has(e.ts));
  const body = $("thread-body");
  keepScroll(body, () =>
    replace(
      body,
      messageRow(current, parent, { inThread: true }),
      h("div", { className: "replies-divider" }, `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`),
      replies.map((reply) => messageRow(current, reply, { inThread: true })),
      notes.map(ephemeral),
    ),
  );
}

// ---------------------------------------------------------------------------------- modal

function renderModal() {
  const root = $("modal-root");
  const view = ui.state.modal;
  const key = view ? `${view.id}:${view.hash}` : null;
  if (key === ui.modalKey) return;
  ui.modalKey = key;
  if (!view) {
    replace(root);
    root.hidden = true;
    return;
  }
  root.hidden = false;
  const titleId = `modal-title-${view.id}`;
  const form = h("form", { className: "modal-body", attrs: { novalidate: "true" }, onsubmit: (event) => { event.preventDefault(); submit(view, form, banner, submitButton); } });
  append(form, renderBlocks(view.blocks, blockContext({ onAction: (action) => act("click", { ...action, view_id: view.id }) })));
  const banner = h("div", { className: "modal-banner", attrs: { role: "alert" }, hidden: true });
  const submitButton = view.submit
    ? h("button", { type: "button", className: "bk-button primary", onclick: () => submit(view, form, banner, submitButton) }, plain(view.submit))
    : null;
  replace(
    root,
    h(
      "div",
      { className: "modal", attrs: { role: "dialog", "aria-modal": "true", "aria-labelledby": titleId } },
      h(
        "div",
        { className: "modal-head" },
        h("h2", { id: titleId }, plain(view.title)),
        h("button", { type: "button", className: "modal-x", attrs: { "aria-label": "Close" }, onclick: () => closeModal(view) }, "✕"),
      ),
      banner,
      form,
      h(
        "div",
        { className: "modal-foot" },
        h("button", { type: "button", className: "bk-button", onclick: () => closeModal(view) }, view.close ? plain(view.close) : "Close"),
        submitButton,
      ),
    ),
  );
  const first = form.querySelector("select, input, textarea");
  if (first) first.focus();
}

async function submit(view, form, banner, button) {
  if (button) button.disabled = true;
  showErrors(form, {});
  if (banner) banner.hidden = true;
  const answer = await act("submit", { view_id: view.id, values: readInputs(form) });
  if (button) button.disabled = false;
  if (!answer.ok) {
    if (banner) {
      banner.textContent = answer.error;
      banner.hidden = false;
    }
    return;
  }
  if (answer.outcome === "errors") showErrors(form, answer.errors);
  else if (answer.outcome === "failed" && banner) {
    banner.textContent = `We had some trouble connecting. Try again? (${answer.detail || "no answer"})`;
    banner.hidden = false;
  }
}

function closeModal(view) {
  act("close", { view_id: view.id });
}

// ---------------------------------------------------------------------------------- home

function homeTab() {
  const view = ui.state.home;
  if (!view) {
    return h(
      "div",
      { className: "empty home-placeholder", attrs: { "data-testid": "home-placeholder" } },
      h("strong", {}, `${ui.state.bot.name} has not published a Home tab.`),
      h("br"),
      "When the app handles app_home_opened with views.publish, its Home tab shows here.",
    );
  }
  const onAction = (action) => act("click", { ...action, view_id: view.id });
  return h("div", { className: "home", attrs: { "data-testid": "home" } }, renderBlocks(view.blocks, blockContext({ onAction })));
}

// -------------------------------------------------------------------------------- composer

function sendComposer() {
  const input = $("composer-input");
  const text = input.value.trim();
  if (!text) return;
  const command = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
  const done = command
    ? act("command", { channel: ui.view, command: command[1], text: command[2] })
    : act("post", { channel: ui.view, text });
  done.then((answer) => {
    if (answer.ok) {
      input.value = "";
      updateHint();
    }
  });
}

function updateHint() {
  const text = $("composer-input").value;
  $("composer-hint").hidden = !text.startsWith("/");
}

function sendReply() {
  const input = $("reply-input");
  const text = input.value.trim();
  if (!text || !ui.thread) return;
  act("post", { channel: ui.thread.channel, thread_ts: ui.thread.ts, text }).then((answer) => {
    if (answer.ok) input.value = "";
  });
}

function onEnter(handler) {
  return (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      handler();
    }
  };
}

function start() {
  $("composer-hint").textContent = COMMAND_HINT;
  $("composer-input").addEventListener("keydown", onEnter(sendComposer));
  $("composer-input").addEventListener("input", updateHint);
  $("composer-send").addEventListener("click", sendComposer);
  $("reply-input").addEventListener("keydown", onEnter(sendReply));
  $("reply-send").addEventListener("click", sendReply);
  $("thread-close").addEventListener("click", () => {
    ui.thread = null;
    render();
  });
  $("acting-as").addEventListener("change", (event) => {
    ui.user = event.target.value;
    ui.rendered = null;
    ui.modalKey = null;
    refresh();
  });
  document.addEventListener("click", () => document.querySelectorAll(".bk-menu").forEach((m) => (m.hidden = true)));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && ui.state && ui.state.modal) closeModal(ui.state.modal);
  });
  refresh();
}

start();
