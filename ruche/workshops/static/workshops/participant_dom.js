// DOM helpers of the participant's view (participant.js): build elements, and update them in
// place so that re-rendering keeps focus and the text being typed.
//
// No inline styles (the Content Security Policy forbids them) and no innerHTML: text from
// people goes in with textContent.

export const NOTE_MAX = 500;
export const NAME_MAX = 120;
export const ngettext = (singular, plural, count) =>
  window.ngettext ? window.ngettext(singular, plural, count) : count === 1 ? singular : plural;

// --- Building and updating the DOM ---------------------------------------------------------

/** h("p", {class: "x", text: "…", on: {click}}, child…); attributes are set as given. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") element.textContent = value;
    else if (name === "on") {
      for (const [type, listener] of Object.entries(value)) element.addEventListener(type, listener);
    } else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function setText(element, text) {
  const value = text ?? "";
  if (element.textContent !== value) element.textContent = value;
}

export function show(element, visible) {
  if (element.hidden === visible) element.hidden = !visible;
}

export function setDisabled(element, disabled) {
  if (element.disabled !== disabled) element.disabled = disabled;
}

/** Set a field's value from the server unless the person is using or has changed it. */
export function syncValue(field, value) {
  const text = value === null || value === undefined ? "" : String(value);
  const touched = field === document.activeElement || field.value !== (field.dataset.synced ?? "");
  field.dataset.synced = text;
  if (!touched && field.value !== text) field.value = text;
}

/**
 * Make `container`'s children the elements for `items`, in order, reusing the element of
 * each key (from `pool` when given, so an element can move between containers). Elements
 * already in place are not touched: the focused one stays focused.
 */
export function reconcile(container, items, { key, create, update, pool }) {
  const known = pool || new Map();
  if (!pool) for (const child of container.children) known.set(child.dataset.key, child);
  const wanted = items.map((item) => {
    const id = key(item);
    let element = known.get(id);
    if (!element) {
      element = create(item);
      element.dataset.key = id;
      known.set(id, element);
    }
    update(element, item);
    return element;
  });
  const keep = new Set(wanted);
  for (const child of [...container.children]) if (!keep.has(child)) child.remove();
  let cursor = container.firstElementChild;
  for (const element of wanted) {
    if (element === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(element, cursor);
  }
}

export function addStylesheet(name) {
  const href = new URL(name, import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h("link", { rel: "stylesheet", href }));
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

/** An error line near an action (role=alert: read out as soon as it is filled). */
export function errorSlot() {
  return h("p", { class: "fr-message fr-message--error ruche-ws-error", role: "alert" });
}

export function showError(slot, text) {
  if (!slot) return;
  setText(slot, text || "");
}

export function badge(text, tone) {
  return h("span", { class: `fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${tone}`, text });
}
