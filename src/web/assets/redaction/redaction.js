// Drawing areas to redact on the page images. The form works without this: an area is one line of the
// "Areas to remove" box (page, left, top, right, bottom in points from the page's top-left, then the
// exemption), and a box drawn here just writes that line. Loaded as a module: the CSP allows no inline script.

const areas = document.getElementById("areas");
const label = document.getElementById("label");

const round = (value) => Math.round(value * 10) / 10;

function drawBox(sheet, box, text) {
  const element = document.createElement("div");
  element.className = "app-redaction-box";
  element.setAttribute("aria-hidden", "true");
  element.textContent = text;
  Object.assign(element.style, box);
  sheet.append(element);
  return element;
}

for (const page of document.querySelectorAll(".app-redaction-page")) {
  const sheet = page.querySelector(".app-redaction-page__sheet");
  const width = Number(page.dataset.width);
  const height = Number(page.dataset.height);
  let start;
  let box;
  // Where the pointer is, in points from the page's top-left corner and as a share of the sheet shown.
  const at = (event) => {
    const rect = sheet.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width) / rect.width;
    const y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height) / rect.height;
    return { x, y };
  };
  const place = (a, b) => ({
    left: `${Math.min(a.x, b.x) * 100}%`,
    top: `${Math.min(a.y, b.y) * 100}%`,
    width: `${Math.abs(a.x - b.x) * 100}%`,
    height: `${Math.abs(a.y - b.y) * 100}%`,
  });
  sheet.addEventListener("pointerdown", (event) => {
    if (!areas || event.button !== 0) return;
    event.preventDefault();
    sheet.setPointerCapture(event.pointerId);
    start = at(event);
    box = drawBox(sheet, place(start, start), "");
  });
  sheet.addEventListener("pointermove", (event) => {
    if (!start) return;
    Object.assign(box.style, place(start, at(event)));
  });
  sheet.addEventListener("pointerup", (event) => {
    if (!start) return;
    const end = at(event);
    const from = start;
    start = undefined;
    const left = round(Math.min(from.x, end.x) * width);
    const right = round(Math.max(from.x, end.x) * width);
    const top = round(Math.min(from.y, end.y) * height);
    const bottom = round(Math.max(from.y, end.y) * height);
    if (right - left < 2 || bottom - top < 2) {
      box.remove();
      return;
    }
    const exemption = label?.value.trim() ?? "";
    box.textContent = exemption;
    const line = [page.dataset.page, left, top, right, bottom, exemption]
      .filter((part) => part !== "")
      .join(", ");
    areas.value = areas.value.trim() === "" ? line : `${areas.value.replace(/\s+$/, "")}\n${line}`;
  });
}
