// Talks to the API on the same origin: nginx proxies /api/ to the backend Service, and
// `make qr-local` serves it the same way (the API serves it itself only where nginx is missing).
"use strict";

const form = document.getElementById("qr-form");
const submit = document.getElementById("submit");
const errorBox = document.getElementById("error");
const result = document.getElementById("result");
const preview = document.getElementById("preview");
const link = document.getElementById("link");
const copy = document.getElementById("copy");
const note = document.getElementById("note");

function showError(message) {
  result.hidden = true;
  errorBox.textContent = message;
  errorBox.hidden = false;
}

async function generate(event) {
  event.preventDefault();
  errorBox.hidden = true;
  submit.disabled = true;
  submit.textContent = "Generating…";
  const body = {
    data: form.data.value,
    format: form.format.value,
    size: Number.parseInt(form.size.value, 10),
    error_correction: form.error_correction.value,
  };
  try {
    const response = await fetch("/api/qr", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const wait = response.headers.get("Retry-After");
      const retry = wait ? ` (try again in ${wait} s)` : "";
      showError((answer.message || `The server answered ${response.status}.`) + retry);
      return;
    }
    preview.src = answer.url;
    // The stable link redirects to a fresh presigned URL, so it outlives answer.url.
    link.value = new URL(`/api/qr/${answer.key}`, window.location.href).href;
    const minutes = Math.round(answer.expires_in / 60);
    note.textContent = answer.cached
      ? `Reused a stored code. The image URL is valid for ${minutes} min; the link above stays valid.`
      : `New code stored. The image URL is valid for ${minutes} min; the link above stays valid.`;
    copy.textContent = "Copy link";
    result.hidden = false;
  } catch (error) {
    showError("Could not reach the API; check your connection and try again.");
  } finally {
    submit.disabled = false;
    submit.textContent = "Generate QR code";
  }
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(link.value);
  } catch (error) {
    link.select();
    document.execCommand("copy");
  }
  copy.textContent = "Copied";
}

form.addEventListener("submit", generate);
copy.addEventListener("click", copyLink);
