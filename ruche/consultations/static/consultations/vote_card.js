// Voting card, progressively enhanced: without this script the buttons post a plain form
// and the page reloads with the next statement. With it, votes go as JSON and the next
// statement replaces the current one in place; keys A / D / P vote, focus follows the text.
const card = document.querySelector("[data-testid=vote-card]");

if (card) {
  const form = card.querySelector("[data-role=form]");
  const statementId = card.querySelector("[data-role=statement-id]");
  const statementText = card.querySelector("[data-role=statement]");
  const voted = card.querySelector("[data-role=voted]");
  const total = card.querySelector("[data-role=total]");
  const bar = card.querySelector("[data-role=bar]");
  const status = card.querySelector("[data-role=status]");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let busy = false;

  async function send(value) {
    if (busy) return;
    busy = true;
    status.textContent = "";
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      const response = await fetch(card.dataset.voteUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ statement: statementId.value, vote: value, next: true }),
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        status.textContent = body.error || card.dataset.errorText;
        return;
      }
      voted.textContent = body.voted;
      total.textContent = body.total;
      bar.max = body.total;
      bar.value = body.voted;
      if (body.next) {
        statementId.value = body.next.id;
        statementText.textContent = body.next.text;
        statementText.focus();
      } else {
        form.hidden = true;
        status.textContent = card.dataset.doneText;
        card.dataset.done = "true";
      }
    } catch {
      status.textContent = card.dataset.errorText;
    } finally {
      busy = false;
      form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = event.submitter ? event.submitter.value : null;
    if (value) send(value);
  });

  const keys = { a: "agree", d: "disagree", p: "pass" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || form.hidden) return;
    const target = event.target;
    if (target.matches && target.matches("input, textarea, select, [contenteditable]")) return;
    const value = keys[event.key.toLowerCase()];
    if (value) {
      event.preventDefault();
      send(value);
    }
  });
}
