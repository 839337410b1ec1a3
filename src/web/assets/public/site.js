// The public site's own behaviour, on top of govuk-frontend (application.js). Loaded as a module from our own
// origin: the Content-Security-Policy allows no inline script. Everything here also works without it.

const exitRoot = document.querySelector('[data-module="app-quick-exit"]');
if (exitRoot) initQuickExit(exitRoot);
const cookieForm = document.querySelector('[data-module="app-cookie-banner"]');
if (cookieForm) initCookieBanner(cookieForm);

/**
 * Quick exit: the "Exit this page" button or skip link, the Escape key, or Shift pressed three times replace
 * this page with a neutral site. `location.replace` leaves no history entry for this page, so Back does not
 * return to it. The page is blanked at once, before the neutral site loads.
 */
function initQuickExit(root) {
  const button = root.querySelector(".govuk-js-exit-this-page-button");
  if (!button) return;
  const destination = button.href;
  const status = document.createElement("span");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  root.appendChild(status);
  const indicator = document.createElement("div");
  indicator.className = "govuk-exit-this-page__indicator";
  indicator.setAttribute("aria-hidden", "true");
  for (let light = 0; light < 3; light++) {
    const element = document.createElement("div");
    element.className = "govuk-exit-this-page__indicator-light";
    indicator.appendChild(element);
  }
  button.appendChild(indicator);

  let leaving = false;
  function leave() {
    if (leaving) return;
    leaving = true;
    document.body.classList.add("govuk-exit-this-page-hide-content");
    const overlay = document.createElement("div");
    overlay.className = "govuk-exit-this-page-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = "Loading.";
    document.body.appendChild(overlay);
    window.location.replace(destination);
  }

  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest(".govuk-js-exit-this-page-button, .govuk-js-exit-this-page-skiplink")) {
        event.preventDefault();
        event.stopPropagation();
        leave();
      }
    },
    true,
  );

  let presses = 0;
  let timer = 0;
  let lastKeyWasModified = false;
  function showPresses() {
    indicator.classList.toggle("govuk-exit-this-page__indicator--visible", presses > 0);
    indicator.querySelectorAll(".govuk-exit-this-page__indicator-light").forEach((light, index) => {
      light.classList.toggle("govuk-exit-this-page__indicator-light--on", index < presses);
    });
  }
  function resetPresses() {
    presses = 0;
    window.clearTimeout(timer);
    showPresses();
    status.textContent = "";
  }

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Escape" || event.key === "Esc") {
        event.preventDefault();
        leave();
      }
    },
    true,
  );
  document.addEventListener(
    "keyup",
    (event) => {
      if (event.key === "Shift" && !lastKeyWasModified) {
        presses += 1;
        showPresses();
        window.clearTimeout(timer);
        if (presses >= 3) {
          leave();
          return;
        }
        status.textContent = `Shift, press ${3 - presses} more time${presses === 2 ? "" : "s"} to exit.`;
        timer = window.setTimeout(() => {
          resetPresses();
          status.textContent = "Exit this page expired.";
        }, 5000);
      } else if (presses > 0) {
        resetPresses();
      }
      lastKeyWasModified = event.shiftKey;
    },
    true,
  );

  // Coming back from the browser's cache (another route than Back), show the page again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    leaving = false;
    document.body.classList.remove("govuk-exit-this-page-hide-content");
    document.querySelector(".govuk-exit-this-page-overlay")?.remove();
    resetPresses();
  });
}

/**
 * The cookie banner posts its form in the background and shows the confirmation in place, so nothing typed
 * on the page is lost; analytics (when configured) starts only after "Accept". Without JavaScript the same
 * form is posted normally and the server brings the person back.
 */
function initCookieBanner(form) {
  const banner = form.querySelector(".govuk-cookie-banner");
  const question = form.querySelector(".app-cookie-banner__question");
  const saved = form.querySelector(".app-cookie-banner__saved");
  if (!banner || !question || !saved) return;

  form.addEventListener("submit", async (event) => {
    const choice = event.submitter;
    if (choice?.name !== "analytics") return;
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    body.set("analytics", choice.value);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body,
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`cookie preferences: ${response.status}`);
    } catch {
      // Fall back to the ordinary form post.
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "analytics";
      field.value = choice.value;
      form.appendChild(field);
      form.submit();
      return;
    }
    question.hidden = true;
    saved.hidden = false;
    saved.focus();
    if (choice.value === "yes" && form.dataset.analyticsSrc) {
      const script = document.createElement("script");
      script.src = form.dataset.analyticsSrc;
      script.defer = true;
      document.body.appendChild(script);
    }
  });

  saved.querySelector(".app-cookie-banner__hide")?.addEventListener("click", (event) => {
    event.preventDefault();
    banner.hidden = true;
  });
}
