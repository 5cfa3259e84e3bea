// Duizhao back office: what the article editor does when JavaScript runs. Every form works
// without this file; it adds autosave, a warning before leaving unsaved changes, counts per
// language, the slug check as you type and the live preview of the parallel mode.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) return;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function formData(withoutAction) {
    var data = new FormData(form);
    if (withoutAction) data.delete('action');
    return new URLSearchParams(data);
  }

  // --- Unsaved changes -------------------------------------------------------------------
  var dirty = false;
  var leaving = false;
  form.addEventListener('input', function () { dirty = true; });
  form.addEventListener('change', function () { dirty = true; });
  form.addEventListener('submit', function (event) {
    var by = event.submitter;
    if (!by || !by.hasAttribute('data-preview')) leaving = true;
  });
  window.addEventListener('beforeunload', function (event) {
    if (dirty && !leaving) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  // --- Autosave ----------------------------------------------------------------------------
  var autosaveUrl = form.getAttribute('data-autosave');
  var status = form.querySelector('.autosave-status');
  var pending = false;
  function say(text) { if (status) status.textContent = text; }
  function autosave() {
    if (!autosaveUrl || !pending || leaving) return;
    pending = false;
    fetch(autosaveUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formData(true)
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(function (answer) {
      say('Autosaved at ' + answer.saved_at + ' (not yet a revision)');
    }).catch(function (error) {
      pending = true;
      say('Autosave failed (' + error.message + '); your text is still here.');
    });
  }
  var autosaveSoon = debounce(autosave, 4000);
  if (autosaveUrl) {
    form.addEventListener('input', function () { pending = true; autosaveSoon(); });
    // However fast someone types, no more than a minute goes unsaved.
    setInterval(autosave, 60000);
  }

  // --- Counts per language -------------------------------------------------------------------
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/gu;
  var WORD = /[\p{L}\p{N}]+(?:['\u2019.-][\p{L}\p{N}]+)*/gu;
  function plain(markdown) {
    return markdown
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/[#>*_`~[\]|-]/g, ' ');
  }
  function count(language) {
    var out = form.querySelector('[data-counts="' + language + '"]');
    if (!out) return;
    var text = ['title', 'dek', 'body'].map(function (field) {
      var input = form.elements[language + '_' + field];
      return input ? input.value : '';
    }).join('\n');
    text = plain(text);
    var han = (text.match(HAN) || []).length;
    var words = (text.replace(HAN, ' ').match(WORD) || []).length;
    var characters = text.replace(/\s/g, '').length;
    var n = function (x) { return x.toLocaleString(language === 'zh' ? 'zh' : 'en'); };
    out.textContent = language === 'zh'
      ? n(han) + ' 字' + (words ? ' + ' + n(words) + ' 詞 (Latin)' : '') + ' · ' + n(characters) + ' 個字符'
      : n(words) + ' words · ' + n(characters) + ' characters';
  }
  ['en', 'zh'].forEach(function (language) {
    count(language);
    form.addEventListener('input', debounce(function () { count(language); }, 200));
  });

  // --- Slug as you type (new articles) ---------------------------------------------------
  var slugCheck = form.getAttribute('data-slug-check');
  var slug = form.elements.slug;
  var hint = form.querySelector('[data-slug-hint]');
  if (slugCheck && slug && hint) {
    var check = debounce(function () {
      var query = new URLSearchParams({
        slug: slug.value,
        en: form.elements.en_title ? form.elements.en_title.value : '',
        zh: form.elements.zh_title ? form.elements.zh_title.value : ''
      });
      fetch(slugCheck + '?' + query, { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) return;
          hint.classList.toggle('bad', !answer.ok);
          if (answer.proposed) {
            hint.textContent = answer.ok ? 'Will be: ' + answer.slug : '';
          } else {
            hint.textContent = answer.ok ? 'Available.' : answer.message;
          }
        })
        .catch(function () { hint.textContent = ''; });
    }, 400);
    ['slug', 'en_title', 'zh_title'].forEach(function (name) {
      if (form.elements[name]) form.elements[name].addEventListener('input', check);
    });
  }

  // --- Live preview ----------------------------------------------------------------------
  var pane = document.querySelector('.live-preview');
  var previewButton = form.querySelector('[data-preview]');
  if (pane && previewButton) {
    // No scripts run in the frame; same origin only so that its scroll position survives
    // each refresh.
    var frame = document.createElement('iframe');
    frame.title = 'Live preview of the parallel mode';
    frame.setAttribute('sandbox', 'allow-same-origin');
    pane.appendChild(frame);
    var shown = false;
    var refresh = function () {
      if (!shown) return;
      fetch('/admin/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: formData(true)
      }).then(function (response) { return response.text(); })
        .then(function (html) {
          var y = 0;
          try { y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
          frame.onload = function () {
            try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* another origin */ }
          };
          frame.srcdoc = html;
        })
        .catch(function () { /* the next change tries again */ });
    };
    previewButton.textContent = 'Live preview';
    previewButton.setAttribute('aria-pressed', 'false');
    previewButton.addEventListener('click', function (event) {
      event.preventDefault();
      shown = !shown;
      pane.hidden = !shown;
      document.body.classList.toggle('with-preview', shown);
      previewButton.setAttribute('aria-pressed', String(shown));
      refresh();
    });
    form.addEventListener('input', debounce(refresh, 1200));
  }
})();
