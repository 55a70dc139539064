// Slack's mrkdwn and plain_text, rendered as DOM nodes (never as HTML).
// Text arrives Slack-escaped: &lt; &gt; &amp; are shown as the characters they stand for.

import { h } from "./dom.js";

const EMOJI = {
  handshake: "🤝", busts_in_silhouette: "👥", scales: "⚖️", grey_question: "❔",
  question: "❓", warning: "⚠️", pushpin: "📌", white_check_mark: "✅", heavy_check_mark: "✔️",
  x: "❌", tada: "🎉", thumbsup: "👍", "+1": "👍", wave: "👋", memo: "📝", eyes: "👀",
  bulb: "💡", rocket: "🚀", lock: "🔒", house: "🏠", mag: "🔍", clipboard: "📋",
  speech_balloon: "💬", link: "🔗", calendar: "📅", hourglass: "⌛", information_source: "ℹ️",
  arrow_right: "➡️", arrows_counterclockwise: "🔄", no_entry: "⛔", star: "⭐",
  bar_chart: "📊", page_facing_up: "📄", raising_hand: "🙋", wastebasket: "🗑️",
};
const TOKEN_BASE = 0xe000; // private-use characters stand in for <...> entities while parsing
const TOKEN_RE = /[\ue000-\uf8ff]/;
const SAFE_URL = /^(https?:|mailto:)/i;
// A message's permalink opens it here, in the playground, rather than on slack.com.
const PERMALINK = /^https:\/\/[a-z0-9-]+\.slack\.com\/archives\/([A-Z0-9]+)\/p(\d{7,})(?:\?.*)?$/;

/** &lt; &gt; &amp; back to characters (Slack escapes exactly these three). */
export function decode(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** :name: shortcodes as emoji characters (unknown ones stay as typed). */
export function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
}

/** A plain_text object's text as a text node. */
export function plain(textObject) {
  if (!textObject) return document.createTextNode("");
  const text = decode(textObject.text || "");
  return document.createTextNode(textObject.emoji === false ? text : emojify(text));
}

/** A text object (mrkdwn or plain_text) as nodes. */
export function textObject(object, ctx) {
  if (!object) return document.createTextNode("");
  return object.type === "mrkdwn" ? mrkdwn(object.text || "", ctx) : plain(object);
}

/** Render mrkdwn: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <links>, mentions. */
export function mrkdwn(text, ctx = {}) {
  const entities = [];
  // Private-use characters in the text itself could pose as entities: neutralize them first.
  const skeleton = text
    .replace(/[\ue000-\uf8ff]/g, "\ufffd")
    .replace(/<([^<>\n]+)>/g, (whole, inner) => {
      entities.push(inner);
      return String.fromCharCode(TOKEN_BASE + entities.length - 1);
    });
  const parser = { ctx, entities };
  const fragment = document.createDocumentFragment();
  const parts = skeleton.split(/```([\s\S]*?)```/);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      fragment.append(h("pre", { className: "md-pre" }, raw(part.replace(/^\n/, ""), parser)));
    } else if (part) {
      fragment.append(...lines(part, parser));
    }
  });
  return fragment;
}

function lines(text, parser) {
  const out = [];
  let quote = null;
  text.split("\n").forEach((line, index, all) => {
    const quoted = /^(&gt;|>) ?/.exec(line);
    if (quoted) {
      if (!quote) {
        quote = h("blockquote", { className: "md-quote" });
        out.push(quote);
      } else {
        quote.append(h("br"));
      }
      quote.append(...inline(line.slice(quoted[0].length), parser));
      return;
    }
    quote = null;
    out.push(...inline(line, parser));
    if (index < all.length - 1) out.push(h("br"));
  });
  return out;
}

function inline(text, parser) {
  const out = [];
  text.split(/`([^`\n]+)`/).forEach((part, index) => {
    if (index % 2 === 1) out.push(h("code", { className: "md-code" }, raw(part, parser)));
    else if (part) out.push(...emphasis(part, parser));
  });
  return out;
}

const EMPHASIS = /(^|[^A-Za-z0-9*_~])([*_~])(\S(?:[^\n]*?\S)?)\2(?![A-Za-z0-9])/;
const TAGS = { "*": "strong", _: "em", "~": "s" };

function emphasis(text, parser) {
  const out = [];
  let rest = text;
  while (rest) {
    const found = EMPHASIS.exec(rest);
    if (!found) {
      out.push(...words(rest, parser));
      break;
    }
    const start = found.index + found[1].length;
    out.push(...words(rest.slice(0, start), parser));
    out.push(h(TAGS[found[2]], {}, emphasis(found[3], parser)));
    rest = rest.slice(found.index + found[0].length);
  }
  return out;
}

/** Plain words: entities back in place, escapes decoded, emoji shortcodes shown. */
function words(text, parser) {
  const out = [];
  let buffer = "";
  for (const char of text) {
    if (TOKEN_RE.test(char) && parser.entities[char.charCodeAt(0) - TOKEN_BASE] !== undefined) {
      if (buffer) out.push(emojify(decode(buffer)));
      buffer = "";
      out.push(entity(parser.entities[char.charCodeAt(0) - TOKEN_BASE], parser.ctx));
    } else {
      buffer += char;
    }
  }
  if (buffer) out.push(emojify(decode(buffer)));
  return out.map((item) => (typeof item === "string" ? document.createTextNode(item) : item));
}

/** Code: entities shown as written, escapes decoded, no formatting. */
function raw(text, parser) {
  let out = "";
  for (const char of text) {
    const index = char.charCodeAt(0) - TOKEN_BASE;
    out += TOKEN_RE.test(char) && parser.entities[index] !== undefined
      ? `<${parser.entities[index]}>`
      : char;
  }
  return decode(out);
}

/** One <...> entity: a user, a channel, a special mention, a date or a link. */
function entity(inner, ctx) {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? "" : decode(inner.slice(bar + 1));
  const names = ctx.names || {};
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return h("span", { className: "mention" }, "@" + (names[id] || label || id));
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    return h("span", { className: "mention" }, "#" + (names[id] || label || id));
  }
  if (target.startsWith("!date^")) return document.createTextNode(slackDate(target, label));
  if (target.startsWith("!subteam^")) return h("span", { className: "mention" }, label || "@group");
  if (target.startsWith("!")) return h("span", { className: "mention" }, "@" + target.slice(1));
  const url = decode(target);
  if (!SAFE_URL.test(url)) return document.createTextNode(label || url);
  const permalink = PERMALINK.exec(url);
  if (permalink && ctx.openPermalink) {
    const ts = `${permalink[2].slice(0, -6)}.${permalink[2].slice(-6)}`;
    return h(
      "a",
      {
        href: "#",
        onclick: (event) => {
          event.preventDefault();
          ctx.openPermalink(permalink[1], ts);
        },
      },
      label || url,
    );
  }
  return h(
    "a",
    { href: url, attrs: { target: "_blank", rel: "noopener noreferrer" } },
    label || url,
  );
}

/** <!date^1700000000^{date_short_pretty} at {time}|fallback> in the reader's time zone. */
function slackDate(target, fallback) {
  const [, seconds, format] = target.split("^");
  const moment = new Date(Number(seconds) * 1000);
  if (!format || Number.isNaN(moment.getTime())) return fallback;
  const date = (options) => moment.toLocaleDateString(undefined, options);
  const parts = {
    date_num: moment.toISOString().slice(0, 10),
    date: date({ month: "long", day: "numeric", year: "numeric" }),
    date_short: date({ month: "short", day: "numeric", year: "numeric" }),
    date_long: date({ weekday: "long", month: "long", day: "numeric", year: "numeric" }),
    date_pretty: date({ month: "long", day: "numeric", year: "numeric" }),
    date_short_pretty: date({ month: "short", day: "numeric", year: "numeric" }),
    date_long_pretty: date({ weekday: "long", month: "long", day: "numeric", year: "numeric" }),
    time: moment.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }),
    time_secs: moment.toLocaleTimeString(),
  };
  return format.replace(/\{(\w+)\}/g, (whole, key) => parts[key] ?? whole);
}
