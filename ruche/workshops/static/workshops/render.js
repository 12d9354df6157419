// Building the workshop views' DOM without a framework, and updating it in place.
//
// Views build a fresh tree with `h()` on every change and `morph()` it into the page: only
// what differs is touched, so focus, the text being typed in a field, scroll positions and
// CSS transitions survive a live update. Elements keyed with `key` are matched by key
// among their siblings (a note moving in a list keeps its node).
//
// The Content Security Policy forbids inline style attributes: styles are set through the
// CSSOM (`style: {"--share": 0.4}`), which the policy allows, and never with setAttribute.
// An element with `data-own-text` keeps its contents: the view updates them (timer, counts).
// An element with `data-sig` equal to the one drawn before is left as it is.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(namespace, tag, props, children) {
  const element = namespace
    ? document.createElementNS(namespace, tag)
    : document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "key") element.dataset.key = value;
    else if (name === "style") {
      for (const [property, v] of Object.entries(value)) element.style.setProperty(property, v);
    } else if (name === "value" && !namespace) element.setAttribute("value", value);
    else if (name === "checked" || name === "selected") element.setAttribute(name, "");
    else if (name === "dataset") {
      for (const [key, v] of Object.entries(value)) if (v !== undefined) element.dataset[key] = v;
    } else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h("button", {type: "button", "data-action": "x"}, "Label"). */
export function h(tag, props, ...children) {
  return build(null, tag, props, children);
}

/** An SVG element. */
export function s(tag, props, ...children) {
  return build(SVG_NS, tag, props, children);
}

// --- Morphing -------------------------------------------------------------------------------

// Fields the person has typed into since they were drawn: their value is theirs, not the
// server's, until the view draws a different field (another key) in their place.
const edited = new WeakSet();
document.addEventListener("input", (event) => edited.add(event.target), true);

/** Let the view draw `field`'s value again (after what was typed there has been sent). */
export function forget(field) {
  if (field) edited.delete(field);
}

function sameNode(a, b) {
  return (
    a.nodeType === b.nodeType &&
    a.nodeName === b.nodeName &&
    (a.nodeType !== 1 || (a.dataset.key || null) === (b.dataset.key || null))
  );
}

function syncAttributes(current, next) {
  for (const { name } of [...current.attributes]) {
    if (name !== "style" && !next.hasAttribute(name)) current.removeAttribute(name);
  }
  for (const { name, value } of next.attributes) {
    if (name !== "style" && current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  if (current.style && current.style.cssText !== next.style.cssText) {
    current.style.cssText = next.style.cssText; // CSSOM: allowed by the policy
  }
  const tag = current.nodeName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
    const mine = edited.has(current) || current === document.activeElement;
    if (current.type === "checkbox" || current.type === "radio") {
      current.checked = next.hasAttribute("checked");
    } else if (!mine) {
      const value = tag === "SELECT" ? selectedValue(next) : next.getAttribute("value") ?? "";
      const text = tag === "TEXTAREA" ? next.textContent : value;
      if (current.value !== text) current.value = text;
    }
  }
  if (tag === "OPTION") current.selected = next.hasAttribute("selected");
  if (tag === "DETAILS") current.open = current.open || next.hasAttribute("open");
}

function selectedValue(select) {
  const option = select.querySelector("option[selected]") || select.querySelector("option");
  return option ? option.getAttribute("value") ?? option.textContent : "";
}

/** Make `current`'s children look like `next`'s, reusing nodes where they match. */
export function morphChildren(current, next) {
  const wanted = [...next.childNodes];
  const keyed = new Map();
  for (const child of current.childNodes) {
    if (child.nodeType === 1 && child.dataset.key) {
      keyed.set(`${child.nodeName}:${child.dataset.key}`, child);
    }
  }
  let cursor = current.firstChild;
  for (const target of wanted) {
    let match = null;
    if (target.nodeType === 1 && target.dataset.key) {
      match = keyed.get(`${target.nodeName}:${target.dataset.key}`) || null;
    } else if (cursor && sameNode(cursor, target)) {
      match = cursor;
    }
    if (match) {
      if (match !== cursor) current.insertBefore(match, cursor);
      else cursor = cursor.nextSibling;
      morphNode(match, target);
    } else {
      current.insertBefore(target, cursor);
    }
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

function morphNode(current, next) {
  if (current.nodeType === 3 || current.nodeType === 8) {
    if (current.nodeValue !== next.nodeValue) current.nodeValue = next.nodeValue;
    return;
  }
  // A view can sign an element with everything it was drawn from (`data-sig`): the same
  // signature means the same subtree, not compared again (a board of 1,000 notes).
  const signature = next.getAttribute("data-sig");
  if (signature !== null && signature === current.getAttribute("data-sig")) return;
  syncAttributes(current, next);
  if (current.nodeName === "TEXTAREA") return; // its text is its value, handled above
  // A view that updates this element's text itself (a ticking timer, an animated count).
  if (next.hasAttribute("data-own-text")) return;
  morphChildren(current, next);
}

/** Replace the contents of `container` with `children`, morphing what is already there. */
export function render(container, ...children) {
  const next = document.createElement(container.nodeName);
  append(next, children);
  morphChildren(container, next);
}

// --- Small shared helpers --------------------------------------------------------------------

/** Link a view's stylesheet `name`, found next to the script at `base` (import.meta.url),
 * unless the page already links it (its template, with collectstatic's hashed name). */
export function addStylesheet(name, base) {
  const stem = name.replace(/\.css$/, "");
  const pattern = new RegExp(`/${stem}(\\.[0-9a-f]{12})?\\.css$`);
  const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
  if (links.some((link) => pattern.test(new URL(link.href, location.href).pathname))) return;
  document.head.append(h("link", { rel: "stylesheet", href: new URL(name, base).href }));
}

// The number each animated counter is heading for (kept off the DOM: morphing resets
// attributes the view did not draw).
const counted = new WeakMap();

/** Animate a number shown in `element` from what it shows to `value` (a few frames). */
export function countTo(element, value) {
  const from = counted.has(element) ? counted.get(element) : value;
  counted.set(element, value);
  if (from === value) {
    if (element.textContent === "") element.textContent = value; // first drawing
    return; // unchanged (or already counting towards it)
  }
  if (matchMedia("(prefers-reduced-motion: reduce)").matches) {
    element.textContent = value;
    return;
  }
  const started = performance.now();
  const duration = 600;
  const step = (now) => {
    const progress = Math.min(1, (now - started) / duration);
    if (counted.get(element) !== value) return; // a newer count took over
    element.textContent = Math.round(from + (value - from) * progress);
    if (progress < 1) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
  element.classList.remove("ruche-bump");
  void element.offsetWidth; // restart the animation
  element.classList.add("ruche-bump");
}

/** Words for screen readers only, after a button's visible label (which stays the start of
 * its accessible name, as WCAG's "label in name" asks). */
export function srOnly(text) {
  return h("span", { class: "fr-sr-only" }, ` – ${text}`);
}

export function truncate(text, length) {
  const value = text || "";
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}
