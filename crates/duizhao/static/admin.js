// Duizhao back office: what the article editor does when JavaScript runs. Every form works
// without this file; it adds autosave, a warning before leaving unsaved changes, counts per
// language, the slug check as you type, the media picker (hero and inline images) and the
// live preview of the parallel mode.
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

  // --- Media picker: the hero, and images in the text with their captions ------------------
  var dialog = null;
  var picked = null;
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function buildDialog() {
    dialog = el('dialog', { 'class': 'picker', 'aria-label': 'Media library' });
    var head = el('div', { 'class': 'picker-head' });
    var search = el('input', { type: 'search', placeholder: 'Search path, alt text or caption (any language)', 'aria-label': 'Search the media library' });
    var close = el('button', { type: 'button', 'class': 'secondary' }, 'Close');
    close.addEventListener('click', function () { dialog.close(); });
    head.appendChild(search);
    head.appendChild(close);
    var list = el('ul', { 'class': 'picker-grid' });
    dialog.appendChild(head);
    dialog.appendChild(list);
    dialog.appendChild(el('p', { 'class': 'hint' }, 'Upload new images on the Media page; they appear here.'));
    document.body.appendChild(dialog);
    var load = function () {
      fetch('/admin/media/pick?q=' + encodeURIComponent(search.value), { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) {
          list.textContent = '';
          if (!items.length) list.appendChild(el('li', {}, 'Nothing found.'));
          items.forEach(function (item) {
            var li = el('li');
            var button = el('button', { type: 'button', title: item.path });
            var img = el('img', { src: item.thumb, alt: '', loading: 'lazy', width: '160' });
            button.appendChild(img);
            button.appendChild(el('span', {}, item.alt.en || item.alt.zh || item.path));
            button.addEventListener('click', function () {
              dialog.close();
              if (picked) picked(item);
            });
            li.appendChild(button);
            list.appendChild(li);
          });
        })
        .catch(function () { list.textContent = 'The media library could not be read.'; });
    };
    search.addEventListener('input', debounce(load, 250));
    dialog.load = load;
    dialog.search = search;
  }
  function openPicker(onPick) {
    if (!dialog) buildDialog();
    picked = onPick;
    dialog.load();
    dialog.showModal();
    dialog.search.focus();
  }
  function changed(input) {
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  var hero = form.elements.hero;
  if (hero && !hero.disabled && window.HTMLDialogElement) {
    var heroButton = el('button', { type: 'button', 'class': 'secondary pick-button' }, 'Choose from the library…');
    var heroThumb = el('img', { 'class': 'hero-thumb', alt: '', width: '120' });
    var showThumb = function () {
      var path = hero.value.trim().replace(/^\/media\//, '');
      heroThumb.hidden = !path;
      if (path) heroThumb.src = '/media/' + path;
    };
    var heroBox = el('div', { 'class': 'hero-pick' });
    heroBox.appendChild(heroButton);
    heroBox.appendChild(heroThumb);
    (hero.closest('label') || hero).insertAdjacentElement('afterend', heroBox);
    showThumb();
    hero.addEventListener('change', showThumb);
    heroButton.addEventListener('click', function () {
      openPicker(function (item) {
        hero.value = item.path;
        showThumb();
        ['en', 'zh'].forEach(function (language) {
          var caption = form.elements[language + '_hero_caption'];
          if (caption && !caption.disabled && !caption.value.trim() && item.caption[language]) {
            caption.value = item.caption[language];
          }
        });
        changed(hero);
      });
    });
  }
  ['en', 'zh'].forEach(function (language) {
    var body = form.elements[language + '_body'];
    if (!body || body.disabled || !window.HTMLDialogElement) return;
    var insert = el('button', { type: 'button', 'class': 'secondary pick-button' },
      language === 'zh' ? '插入图片…' : 'Insert image…');
    (body.closest('label') || body).insertAdjacentElement('beforebegin', insert);
    insert.addEventListener('click', function () {
      var at = body.selectionStart;
      openPicker(function (item) {
        var alt = (item.alt[language] || '').replace(/[\[\]]/g, '');
        var caption = (item.caption[language] || (language === 'zh' ? '图片说明' : 'Caption')).replace(/"/g, '\u201d');
        var credit = language === 'zh' ? '来源' : 'Credit';
        var markdown = '![' + alt + '](' + item.path + ' "' + caption + ' | ' + credit + '")';
        var before = body.value.slice(0, at).replace(/\s*$/, '');
        var after = body.value.slice(at).replace(/^\s*/, '');
        body.value = (before ? before + '\n\n' : '') + markdown + (after ? '\n\n' + after : '\n');
        body.focus();
        var end = (before ? before.length + 2 : 0) + markdown.length;
        body.setSelectionRange(end, end);
        changed(body);
      });
    });
  });

  // --- Topic and author pickers: a chip adds its slug to the field, or takes it out ------
  function terms(input) {
    return input.value.split(/[,，、\n]/).map(function (t) { return t.trim(); })
      .filter(function (t) { return t; });
  }
  function markChips(input) {
    var chosen = terms(input).map(function (t) { return t.toLowerCase(); });
    document.querySelectorAll('[data-term-for="' + input.name + '"]').forEach(function (chip) {
      chip.setAttribute('aria-pressed', String(chosen.indexOf(chip.getAttribute('data-slug')) >= 0));
    });
  }
  document.querySelectorAll('input[data-terms]').forEach(function (input) {
    if (input.disabled) return;
    markChips(input);
    input.addEventListener('input', function () { markChips(input); });
  });
  document.querySelectorAll('[data-term-for]').forEach(function (chip) {
    chip.addEventListener('click', function () {
      var input = form.elements[chip.getAttribute('data-term-for')];
      if (!input || input.disabled) return;
      var slug = chip.getAttribute('data-slug');
      var list = terms(input);
      var at = list.map(function (t) { return t.toLowerCase(); }).indexOf(slug);
      if (at >= 0) list.splice(at, 1); else list.push(slug);
      input.value = list.join(', ');
      markChips(input);
      changed(input);
    });
  });

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
      fetch(previewButton.getAttribute('formaction'), {
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
