// The entry page: Enter moves to the next field instead of doing nothing (the form's default
// button is disabled so that Enter never submits by accident; see month.html).
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
});
