// Organisation page: announce members joining, live.
import { LiveConnection, bindStatus } from "../ruche/live.js";

const root = document.querySelector("[data-live-organisation]");
if (root) {
  const status = document.getElementById("live-status");
  const feed = document.getElementById("live-feed");
  new LiveConnection(`/ws/structures/${root.dataset.liveOrganisation}/`, {
    onStatus: bindStatus(status),
    onEvent(message) {
      if (message.event !== "member.joined") return;
      const item = document.createElement("li");
      item.textContent = feed.dataset.joinedTemplate.replace("{name}", message.payload.name);
      feed.prepend(item);
    },
  });
}
