/* 决算说明生成器 网页版: the few things a page does better with a script. Without it everything
   still works (a plain form; a running job's page reloads itself through <noscript>).
   - the upload form: drop area, the chosen files listed with a remove button, files the program
     cannot read named before anything is sent, an upload progress bar;
   - a running job's page: its changing part swapped in every few seconds, no reload, focus kept. */
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }

  function mb(bytes) { return (bytes / 1024 / 1024).toFixed(1) + " MB"; }

  // ------------------------------------------------------------ the upload form
  function setupUpload(form) {
    var input = $("#files", form), list = $("#chosen", form), drop = $("#drop", form);
    var error = $("#pick-error", form), button = $("#submit", form);
    var maxBytes = parseInt(form.dataset.maxBytes, 10), maxFiles = parseInt(form.dataset.maxFiles, 10);
    var chosen = [];

    function problem(file) {
      var name = file.name.toLowerCase();
      if (file.size === 0) return "“" + file.name + "”是空文件（0 字节），可能没有保存完整；请重新保存后再选。";
      if (/\.(rar|7z|tar|gz)$/.test(name))
        return "“" + file.name + "”不是 .zip 压缩包；请解压后重新压缩为 .zip（右键 → 发送到 → 压缩(zipped)文件夹），或直接选择其中的 .xlsx。";
      if (file.size > maxBytes)
        return "“" + file.name + "”有 " + mb(file.size) + "，超过每次上传 " + mb(maxBytes) + " 的限制；决算工作簿通常不到 1 MB，请确认选对了文件。";
      return "";
    }

    function checkXls(file, entry) {
      // an .xls may be an .xlsx saved under the old name (the program reads it): look at its first bytes
      if (!/\.(xls|et)$/i.test(file.name) || !file.slice) return;
      var reader = new FileReader();
      reader.onload = function () {
        var b = new Uint8Array(reader.result);
        if (!(b[0] === 0x50 && b[1] === 0x4b)) {
          entry.problem = "“" + file.name + "”是旧版 Excel（.xls）文件，本程序读不了；请在 Excel/WPS 中“另存为”Excel 工作簿（*.xlsx）后再选。";
          render();
        }
      };
      reader.readAsArrayBuffer(file.slice(0, 4));
    }

    function render() {
      list.innerHTML = "";
      var total = 0, problems = [];
      chosen.forEach(function (entry, i) {
        total += entry.file.size;
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = entry.file.name + "（" + (entry.file.size < 1024 * 1024 ? Math.max(1, Math.round(entry.file.size / 1024)) + " KB" : mb(entry.file.size)) + "）";
        li.appendChild(name);
        if (entry.problem) { li.className = "bad"; problems.push(entry.problem); }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "remove";
        remove.textContent = "移除";
        remove.setAttribute("aria-label", "移除 " + entry.file.name);
        remove.addEventListener("click", function () { chosen.splice(i, 1); sync(); render(); input.focus(); });
        li.appendChild(remove);
        list.appendChild(li);
      });
      if (total > maxBytes && chosen.length > 1)
        problems.push("选中的 " + chosen.length + " 个文件合计 " + mb(total) + "，超过每次上传 " + mb(maxBytes) + " 的限制；请分几次上传。");
      if (chosen.length > maxFiles) problems.push("一次最多 " + maxFiles + " 份工作簿，请分几次上传。");
      error.hidden = !problems.length;
      error.textContent = problems.join(" ");
      button.disabled = !chosen.length || problems.length > 0;
    }

    function sync() {
      if (!window.DataTransfer) return;
      try {
        var dt = new DataTransfer();
        chosen.forEach(function (e) { dt.items.add(e.file); });
        input.files = dt.files;
      } catch (e) { /* an old browser: the list is shown, the input keeps what was picked */ }
    }

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        var same = chosen.some(function (e) { return e.file.name === file.name && e.file.size === file.size; });
        if (same) return;
        var entry = { file: file, problem: problem(file) };
        chosen.push(entry);
        checkXls(file, entry);
      });
      sync();
      render();
    }

    input.addEventListener("change", function () { var files = Array.prototype.slice.call(input.files); chosen = []; add(files); });
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      drop.addEventListener(type, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { e.preventDefault(); if (e.dataTransfer) add(e.dataTransfer.files); });

    form.addEventListener("submit", function (e) {
      if (!chosen.length || !window.XMLHttpRequest || !window.FormData) return; // the plain form
      e.preventDefault();
      var data = new FormData(form);
      if (data.delete) { data.delete("files"); chosen.forEach(function (entry) { data.append("files", entry.file, entry.file.name); }); }
      var box = $("#upload-progress", form), bar = $("progress", box), line = $(".progress-line", box);
      box.hidden = false;
      button.disabled = true;
      button.textContent = "正在上传…";
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "upload");
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        bar.value = Math.round(ev.loaded * 100 / ev.total);
        line.textContent = ev.loaded < ev.total ? "正在上传：" + bar.value + "%" : "上传完成，正在检查和生成报告，请稍候…";
      };
      xhr.onload = function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 200 && type.indexOf("json") >= 0) { window.location.assign(JSON.parse(xhr.responseText).location); return; }
        document.open(); document.write(xhr.responseText); document.close(); // the page's own error message
      };
      xhr.onerror = function () {
        box.hidden = true;
        error.hidden = false;
        error.textContent = "上传没有完成（连接中断）；请确认程序仍在运行后重试。";
        button.disabled = false;
        button.textContent = "上传并生成决算说明";
      };
      xhr.send(data);
    });

    window.addEventListener("pageshow", function () { // Back to this page: nothing still chosen, nothing sent twice
      form.reset(); chosen = []; render(); $("#upload-progress", form).hidden = true;
      button.textContent = "上传并生成决算说明";
    });
    render();
  }

  // ------------------------------------------------------------ a running job
  function setupLive(box) {
    var url = box.dataset.live, seconds = parseInt(box.dataset.seconds, 10) || 2;
    function poll() {
      fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (state) {
        var focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement : null;
        var key = focused && (focused.id || focused.getAttribute("href"));
        box.innerHTML = state.html;
        if (key) { // keyboard focus stays where it was, not thrown to the top
          var again = document.getElementById(key) || box.querySelector('[href="' + key + '"]');
          if (again) again.focus();
        }
        if (state.running) setTimeout(poll, seconds * 1000);
      }).catch(function () { setTimeout(poll, seconds * 2000); });
    }
    setTimeout(poll, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload-form");
    if (form) setupUpload(form);
    var live = document.querySelector("[data-live]");
    if (live && window.fetch) setupLive(live);
  });
})();
