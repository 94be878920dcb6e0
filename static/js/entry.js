// The entry page's helpers; the page works without them. Enter moves to the next field (the
// form's default button is disabled so that Enter never submits; see month.html); leaving the
// page with figures typed but not saved asks first; after a refused save the first wrong row
// is focused.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.entry-form");
  if (!form) return;
  const fields = Array.from(form.querySelectorAll("input.value, input.note"));

  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.target instanceof HTMLInputElement)) return;
    const index = fields.indexOf(event.target);
    if (index < 0) return;
    event.preventDefault();
    const next = fields[index + 1] || form.querySelector("button.primary");
    if (next) next.focus();
  });

  // What a field holds in the database is in its hidden twin (was-<id>, was_note-<id>), not in
  // its loaded value: after a refused save the page shows figures typed but still not saved.
  const saved = (field) => {
    const twin = form.elements.namedItem(field.name.replace(/^value-/, "was-").replace(/^note-/, "was_note-"));
    return twin ? twin.value : field.defaultValue;
  };
  const unsaved = () => fields.some((field) => field.value !== saved(field));
  const marker = form.querySelector(".unsaved");
  const mark = () => {
    if (marker) marker.hidden = !unsaved();
  };
  form.addEventListener("input", mark);
  mark();

  let submitting = false;
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("pageshow", () => {
    submitting = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !unsaved()) return;
    event.preventDefault();
    event.returnValue = ""; // what older browsers need to ask
  });

  const wrong = form.querySelector("tr.has-error");
  if (wrong) {
    const field = wrong.querySelector("[aria-invalid=true]") || wrong.querySelector("input.value");
    if (field) field.focus();
  }
});
