// Block Kit, rendered generically: every block and element type the app sends, and a few more.
// ctx: { names, conversations, people, currentChannel, onAction({action_id, block_id, value}) }

import { h } from "./dom.js";
import { decode, mrkdwn, plain, textObject } from "./mrkdwn.js";

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/** Blocks as an array of nodes. */
export function renderBlocks(blocks, ctx) {
  return (blocks || []).map((block) => renderBlock(block, ctx));
}

function renderBlock(block, ctx) {
  const attrs = { "data-block-type": block.type, "data-block-id": block.block_id };
  switch (block.type) {
    case "header":
      return h("div", { className: "bk-header", attrs }, plain(block.text));
    case "section":
      return h(
        "div",
        { className: "bk-section", attrs },
        h(
          "div",
          { className: "bk-section-main" },
          block.text ? h("div", { className: "bk-text" }, textObject(block.text, ctx)) : null,
          block.fields
            ? h(
                "div",
                { className: "bk-fields" },
                block.fields.map((field) => h("div", {}, textObject(field, ctx))),
              )
            : null,
        ),
        block.accessory ? renderElement(block.accessory, block, ctx) : null,
      );
    case "context":
      return h(
        "div",
        { className: "bk-context", attrs },
        (block.elements || []).map((element) =>
          element.type === "image"
            ? h("span", { className: "bk-image-alt" }, `[${element.alt_text || "image"}]`)
            : h("span", {}, textObject(element, ctx)),
        ),
      );
    case "divider":
      return h("hr", { className: "bk-divider", attrs });
    case "actions":
      return h(
        "div",
        { className: "bk-actions", attrs },
        (block.elements || []).map((element) => renderElement(element, block, ctx)),
      );
    case "input":
      return renderInput(block, ctx);
    case "rich_text":
      return h("div", { className: "bk-rich", attrs }, (block.elements || []).map(richElement));
    case "image":
      return h(
        "figure",
        { className: "bk-image", attrs },
        block.title ? h("figcaption", {}, plain(block.title)) : null,
        h("div", { className: "bk-image-alt" }, `[image: ${block.alt_text || ""}]`),
      );
    default:
      return h("div", { className: "bk-unsupported", attrs }, `Unsupported block: ${block.type}`);
  }
}

// ------------------------------------------------------------------ interactive elements

function renderElement(element, block, ctx) {
  const act = (value) =>
    ctx.onAction && ctx.onAction({ action_id: element.action_id, block_id: block.block_id, value });
  switch (element.type) {
    case "button":
      return h(
        "button",
        {
          type: "button",
          className: `bk-button ${element.style || ""}`.trim(),
          attrs: { "data-action-id": element.action_id },
          onclick: () => {
            if (element.url && /^https?:/i.test(element.url)) {
              window.open(element.url, "_blank", "noopener,noreferrer");
            }
            act(null);
          },
        },
        plain(element.text),
      );
    case "overflow":
      return overflow(element, act);
    case "static_select":
    case "external_select":
      return selectMenu(element, null, (value) => act(value));
    default:
      return h("span", { className: "bk-unsupported" }, `Unsupported element: ${element.type}`);
  }
}

function overflow(element, act) {
  const menu = h(
    "div",
    { className: "bk-menu", attrs: { role: "menu" }, hidden: true },
    (element.options || []).map((option) =>
      h(
        "button",
        {
          type: "button",
          className: "bk-menu-item",
          attrs: { role: "menuitem" },
          onclick: () => {
            menu.hidden = true;
            act(option.value);
          },
        },
        plain(option.text),
      ),
    ),
  );
  const toggle = h(
    "button",
    {
      type: "button",
      className: "bk-button bk-overflow",
      attrs: { "aria-label": "More actions", "aria-haspopup": "menu", "data-action-id": element.action_id },
      onclick: (event) => {
        event.stopPropagation();
        const open = menu.hidden;
        document.querySelectorAll(".bk-menu").forEach((other) => (other.hidden = true));
        menu.hidden = !open;
      },
    },
    "⋯",
  );
  return h("span", { className: "bk-overflow-wrap" }, toggle, menu);
}

function options(element) {
  const flat = [...(element.options || [])];
  for (const group of element.option_groups || []) flat.push(...(group.options || []));
  return flat;
}

function selectMenu(element, id, onchange) {
  const initial = element.initial_option ? element.initial_option.value : "";
  const select = h("select", {
    className: "bk-select",
    id,
    attrs: { "data-action-id": element.action_id },
    onchange: onchange ? () => onchange(select.value || null) : null,
  });
  select.append(
    h("option", { value: "", selected: !initial }, element.placeholder ? plain(element.placeholder) : "Select an option"),
  );
  const addOption = (parent, option) =>
    parent.append(h("option", { value: option.value, selected: option.value === initial }, plain(option.text)));
  for (const option of element.options || []) addOption(select, option);
  for (const group of element.option_groups || []) {
    const optgroup = h("optgroup", { label: decode(group.label.text || "") });
    for (const option of group.options || []) addOption(optgroup, option);
    select.append(optgroup);
  }
  return select;
}

// ------------------------------------------------------------------------ input blocks

function renderInput(block, ctx) {
  const element = block.element || {};
  const id = nextId("input");
  const field = inputElement(element, id, ctx);
  const grouped = element.type === "checkboxes" || element.type === "radio_buttons";
  const label = grouped
    ? h("div", { className: "bk-label", id: `${id}-label` }, plain(block.label), block.optional ? h("span", { className: "bk-optional" }, " (optional)") : null)
    : h("label", { className: "bk-label", htmlFor: id }, plain(block.label), block.optional ? h("span", { className: "bk-optional" }, " (optional)") : null);
  if (grouped) field.setAttribute("aria-labelledby", `${id}-label`);
  return h(
    "div",
    {
      className: "bk-input",
      attrs: {
        "data-block-type": "input",
        "data-block-id": block.block_id,
        "data-element-type": element.type,
        "data-input-block": block.block_id,
      },
    },
    label,
    field,
    block.hint ? h("div", { className: "bk-hint" }, plain(block.hint)) : null,
    h("div", { className: "bk-error", attrs: { role: "alert" }, hidden: true }),
  );
}

function inputElement(element, id, ctx) {
  switch (element.type) {
    case "static_select":
    case "external_select":
      return selectMenu(element, id, null);
    case "multi_static_select": {
      const initial = new Set((element.initial_options || []).map((o) => o.value));
      return h(
        "select",
        { className: "bk-select", id, multiple: true },
        options(element).map((o) => h("option", { value: o.value, selected: initial.has(o.value) }, plain(o.text))),
      );
    }
    case "conversations_select":
    case "channels_select": {
      const initial =
        element.initial_conversation ||
        element.initial_channel ||
        (element.default_to_current_conversation ? ctx.currentChannel : "") ||
        "";
      const choices = (ctx.conversations || []).filter(
        (c) => element.type === "conversations_select" || c.kind === "channel",
      );
      return h(
        "select",
        { className: "bk-select", id },
        h("option", { value: "", selected: !initial }, element.placeholder ? plain(element.placeholder) : "Select a conversation"),
        choices.map((c) => h("option", { value: c.id, selected: c.id === initial }, c.label)),
      );
    }
    case "users_select": {
      const initial = element.initial_user || "";
      return h(
        "select",
        { className: "bk-select", id },
        h("option", { value: "", selected: !initial }, element.placeholder ? plain(element.placeholder) : "Select a person"),
        (ctx.people || []).map((p) => h("option", { value: p.id, selected: p.id === initial }, p.name)),
      );
    }
    case "plain_text_input": {
      const props = {
        className: "bk-text-input",
        id,
        value: element.initial_value || "",
        maxLength: element.max_length || undefined,
        placeholder: element.placeholder ? decode(element.placeholder.text || "") : undefined,
      };
      return element.multiline ? h("textarea", { ...props, rows: 4 }) : h("input", { ...props, type: "text" });
    }
    case "number_input":
    case "email_text_input":
    case "url_text_input": {
      const type = { number_input: "number", email_text_input: "email", url_text_input: "url" }[element.type];
      return h("input", { className: "bk-text-input", id, type, value: element.initial_value || "" });
    }
    case "datepicker":
      return h("input", { className: "bk-text-input", id, type: "date", value: element.initial_date || "" });
    case "checkboxes":
    case "radio_buttons": {
      const multiple = element.type === "checkboxes";
      const initial = new Set(
        multiple
          ? (element.initial_options || []).map((o) => o.value)
          : element.initial_option ? [element.initial_option.value] : [],
      );
      const name = `${id}-group`;
      return h(
        "div",
        { className: "bk-choices", id, attrs: { role: multiple ? "group" : "radiogroup" } },
        (element.options || []).map((option) => {
          const optionId = nextId("choice");
          return h(
            "div",
            { className: "bk-choice" },
            h("input", { type: multiple ? "checkbox" : "radio", id: optionId, name, value: option.value, checked: initial.has(option.value) }),
            h(
              "label",
              { htmlFor: optionId },
              textObject(option.text, ctx),
              option.description ? h("div", { className: "bk-hint" }, textObject(option.description, ctx)) : null,
            ),
          );
        }),
      );
    }
    default:
      return h("div", { className: "bk-unsupported", id }, `Unsupported input: ${element.type}`);
  }
}

/** Values of every input block under `root`, keyed by block_id, as a person filled them in. */
export function readInputs(root) {
  const values = {};
  for (const wrapper of root.querySelectorAll("[data-input-block]")) {
    const blockId = wrapper.dataset.inputBlock;
    const type = wrapper.dataset.elementType;
    if (type === "checkboxes") {
      values[blockId] = [...wrapper.querySelectorAll("input:checked")].map((i) => i.value);
    } else if (type === "radio_buttons") {
      const picked = wrapper.querySelector("input:checked");
      values[blockId] = picked ? picked.value : null;
    } else if (type === "multi_static_select") {
      values[blockId] = [...wrapper.querySelector("select").selectedOptions].map((o) => o.value);
    } else {
      const field = wrapper.querySelector("select, input, textarea");
      if (!field) continue;
      const isText = field.tagName !== "SELECT";
      values[blockId] = field.value === "" && !isText ? null : field.value;
    }
  }
  return values;
}

/** Show response_action=errors under their inputs (and clear the others). */
export function showErrors(root, errors) {
  let first = null;
  for (const wrapper of root.querySelectorAll("[data-input-block]")) {
    const message = errors[wrapper.dataset.inputBlock];
    const slot = wrapper.querySelector(".bk-error");
    slot.hidden = !message;
    slot.textContent = message ? decode(message) : "";
    wrapper.classList.toggle("has-error", Boolean(message));
    if (message && !first) first = wrapper;
  }
  if (first) first.scrollIntoView({ block: "center" });
}

// ------------------------------------------------------------------------ rich text

function richElement(element) {
  switch (element.type) {
    case "rich_text_section":
      return h("div", { className: "rt-section" }, (element.elements || []).map(richInline));
    case "rich_text_list": {
      const tag = element.style === "ordered" ? "ol" : "ul";
      return h(tag, { className: "rt-list" }, (element.elements || []).map((item) => h("li", {}, richElement(item))));
    }
    case "rich_text_quote":
      return h("blockquote", { className: "md-quote" }, (element.elements || []).map(richInline));
    case "rich_text_preformatted":
      return h("pre", { className: "md-pre" }, (element.elements || []).map(richInline));
    default:
      return h("span", { className: "bk-unsupported" }, `Unsupported rich text: ${element.type}`);
  }
}

function richInline(element) {
  const style = element.style || {};
  let node;
  switch (element.type) {
    case "text":
      node = document.createTextNode(element.text || "");
      break;
    case "link":
      node = /^(https?:|mailto:)/i.test(element.url || "")
        ? h("a", { href: element.url, attrs: { target: "_blank", rel: "noopener noreferrer" } }, element.text || element.url)
        : document.createTextNode(element.text || element.url || "");
      break;
    case "user":
      node = h("span", { className: "mention" }, `@${element.user_id}`);
      break;
    case "channel":
      node = h("span", { className: "mention" }, `#${element.channel_id}`);
      break;
    case "emoji":
      node = document.createTextNode(element.unicode ? String.fromCodePoint(...element.unicode.split("-").map((c) => parseInt(c, 16))) : `:${element.name}:`);
      break;
    default:
      node = document.createTextNode("");
  }
  if (style.code) node = h("code", { className: "md-code" }, node);
  if (style.bold) node = h("strong", {}, node);
  if (style.italic) node = h("em", {}, node);
  if (style.strike) node = h("s", {}, node);
  return node;
}

export { mrkdwn };
