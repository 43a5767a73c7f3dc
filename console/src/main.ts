/** The incident console's entry: the API key form and the hash router (#/, #/play, #/episode/<id>, #/replay). */
import { apiKey, setApiKey } from "./api.js";
import { episodePage, listPage, playStartPage, replayPage, type Cleanup } from "./pages.js";

const main = document.getElementById("main") as HTMLElement;
const keyInput = document.getElementById("api-key") as HTMLInputElement;
const keyForm = document.getElementById("key-form") as HTMLFormElement;

keyInput.value = apiKey() ?? "";
keyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  setApiKey(keyInput.value.trim());
  route();
});

let cleanup: Cleanup | undefined;

function navigate(hash: string): void {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route(): void {
  cleanup?.();
  main.replaceChildren();
  const hash = location.hash.replace(/^#/, "") || "/";
  const episode = /^\/episode\/(.+)$/.exec(hash);
  if (episode?.[1] !== undefined) cleanup = episodePage(main, decodeURIComponent(episode[1]));
  else if (hash === "/play") cleanup = playStartPage(main, navigate);
  else if (hash === "/replay") cleanup = replayPage(main);
  else cleanup = listPage(main);
  for (const link of document.querySelectorAll("nav a")) {
    if (link.getAttribute("href") === `#${hash}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  // Keyboard and screen-reader users land on the new page's heading.
  const heading = main.querySelector("h1");
  if (heading instanceof HTMLElement && document.activeElement !== keyInput) heading.focus();
}

window.addEventListener("hashchange", route);
route();
