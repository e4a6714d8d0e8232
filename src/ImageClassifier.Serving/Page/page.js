// The page's only script: sends the chosen image to /predict and /explain and shows the answers. No libraries.
"use strict";
const $ = id => document.getElementById(id);

async function problemText(response) {
  try { const p = await response.json(); return `${p.title || response.status}: ${p.detail || ""}`; }
  catch { return `HTTP ${response.status}`; }
}

async function post(path, file) {
  return fetch(path, { method: "POST", body: file, headers: { "Content-Type": file.type || "application/octet-stream" } });
}

function showBars(top) {
  const list = $("bars");
  list.replaceChildren(...top.map(t => {
    const item = document.createElement("li");
    const percent = (t.probability * 100).toFixed(1);
    item.innerHTML = `<div class="bar"><span class="name"></span><span class="track"><span class="fill"></span></span><span class="value">${percent}%</span></div>`;
    item.querySelector(".name").textContent = t.class;
    item.querySelector(".fill").style.width = `${Math.max(0.5, t.probability * 100)}%`;
    return item;
  }));
}

async function classify(file) {
  $("error").hidden = true;
  $("status").textContent = `Classifying ${file.name}…`;
  $("preview").src = URL.createObjectURL(file);
  try {
    const predicted = await post("predict?top=5", file);
    if (!predicted.ok) throw new Error(await problemText(predicted));
    const best = (await predicted.json()).predictions[0];
    $("predicted").textContent = best.predicted;
    showBars(best.top);
    $("result").hidden = false;
    const explained = await post("explain", file);
    if (!explained.ok) throw new Error(await problemText(explained));
    const png = URL.createObjectURL(await explained.blob());
    const overlay = $("overlay");
    await new Promise((resolve, reject) => {
      overlay.onload = resolve;
      overlay.onerror = () => reject(new Error("the overlay PNG could not be shown"));
      overlay.src = png;
    });
    $("status").textContent = `Done: ${file.name}`;
    document.body.dataset.state = "done";
  } catch (e) {
    $("error").textContent = e.message || String(e);
    $("error").hidden = false;
    $("status").textContent = "";
    document.body.dataset.state = "error";
  }
}

$("file").addEventListener("change", e => { if (e.target.files.length) classify(e.target.files[0]); });
const drop = $("drop");
drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", e => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files.length) classify(e.dataTransfer.files[0]); });

fetch("health").then(r => r.json()).then(h => { $("model").textContent = `${h.model} · ${h.classes.length} classes · input ${h.input.channels}x${h.input.height}x${h.input.width}`; }).catch(() => {});
