// The web form of the prediction service (index.html): builds one record from the form, sends it
// to POST v1/predict and shows the top diseases, the cleaning rules' notes, the model and the
// request id. Plain JavaScript for current browsers, no framework and no build step; nothing is
// loaded from outside the service. No inline styles or scripts: the Content-Security-Policy
// forbids them (the bars' widths are set through element.style, which it allows).
'use strict';

(function () {
  const TOKEN_KEY = 'dxpipe.token';
  const SEVERITIES = [['', 'not recorded'], ['1', 'mild'], ['2', 'moderate'], ['3', 'severe']];
  // form element id -> record field; the order is the order of the body's fields
  const TEXT_FIELDS = { gender: 'gender', ethnicity: 'ethnicity', 'marital-status': 'marital_status',
    education: 'education', 'visit-date': 'visit_date', 'onset-date': 'symptom_onset_date' };
  const INTEGER_FIELDS = { age: 'age', 'duration-days': 'symptom_duration_days' };
  const NUMBER_FIELDS = { 'temperature-c': 'temperature_c', 'heart-rate': 'heart_rate', 'systolic-bp': 'systolic_bp',
    'diastolic-bp': 'diastolic_bp', 'respiratory-rate': 'respiratory_rate', spo2: 'spo2', 'weight-kg': 'weight_kg' };
  const FIELD_TO_ID = { symptoms: 'symptoms', previous_diagnoses: 'previous-diagnoses' };
  for (const group of [TEXT_FIELDS, INTEGER_FIELDS, NUMBER_FIELDS]) {
    for (const [id, field] of Object.entries(group)) {
      FIELD_TO_ID[field] = id;
    }
  }

  const $ = (id) => document.getElementById(id);
  let vocabulary = new Set();

  /** A symptom code as people read it: underscores as spaces. */
  const display = (code) => code.replace(/_/g, ' ');
  /** What a person typed as the code the service reads: trimmed, lower case, spaces as underscores. */
  const toCode = (text) => text.trim().toLowerCase().replace(/\s+/g, '_');

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function headers(json) {
    const h = { Accept: 'application/json' };
    if (json) {
      h['Content-Type'] = 'application/json';
    }
    const token = $('token').value.trim();
    if (token) { // empty: a gateway in front of the service adds the header
      h.Authorization = 'Bearer ' + token;
    }
    return h;
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  function authMessage(status) {
    return status === 401
      ? 'The service did not accept the token: enter a valid clinician token.'
      : 'This token does not have the clinician role: enter a valid clinician token.';
  }

  // ---- the model's symptom vocabulary ----

  function modelText(model) {
    if (!model) {
      return '';
    }
    let t = model.name || 'model';
    if (model.version !== undefined && model.version !== null && model.version !== '') {
      t += ' version ' + model.version;
    }
    if (model.run_id) {
      t += ' (run ' + model.run_id + ')';
    } else if ((model.version === undefined || model.version === null) && model.uri) {
      t += ' (' + model.uri + ')'; // a model served by path: where it is says which one
    }
    return t;
  }

  async function loadVocabulary() {
    const status = $('vocabulary-status');
    status.dataset.state = 'loading';
    status.textContent = 'Loading the model\'s symptoms …';
    try {
      const r = await fetch('v1/symptoms', { headers: headers(false), cache: 'no-store' });
      const body = await readJson(r);
      if (!r.ok || !body || !Array.isArray(body.symptoms)) {
        status.dataset.state = 'error';
        status.textContent = r.status === 401 || r.status === 403
          ? 'Symptom suggestions need access: ' + authMessage(r.status)
          : 'Symptom suggestions are not available (' + ((body && body.detail) || 'HTTP ' + r.status)
            + '); you can still type symptoms.';
        return;
      }
      vocabulary = new Set(body.symptoms);
      const list = $('symptom-list');
      list.replaceChildren(...body.symptoms.map((code) => {
        const o = document.createElement('option');
        o.value = display(code);
        return o;
      }));
      $('model-banner').textContent = 'Model: ' + modelText(body.model);
      status.dataset.state = 'ready';
      status.textContent = body.symptoms.length + ' symptoms known to the model.';
      for (const row of $('symptom-rows').children) {
        markVocabulary(row);
      }
    } catch (e) {
      status.dataset.state = 'error';
      status.textContent = 'The service cannot be reached; symptom suggestions are not available.';
    }
  }

  // ---- symptoms ----

  function markVocabulary(row) {
    const hint = row.querySelector('.symptom-row-hint');
    const known = vocabulary.size === 0 || vocabulary.has(row.dataset.code);
    hint.textContent = known ? '' : 'not in the model\'s list: the service will look for the nearest known symptom';
  }

  function severitySelect(value, label) {
    const s = el('select', 'symptom-row-severity');
    s.setAttribute('aria-label', label);
    for (const [v, text] of SEVERITIES) {
      const o = el('option', null, text);
      o.value = v;
      s.appendChild(o);
    }
    s.value = value;
    return s;
  }

  function addSymptom() {
    const input = $('symptom-input');
    const code = toCode(input.value);
    clearError('symptoms');
    if (!code) {
      showError('symptoms', 'Type a symptom first.');
      input.focus();
      return false;
    }
    const rows = $('symptom-rows');
    const severity = $('symptom-severity').value;
    const existing = Array.from(rows.children).find((r) => r.dataset.code === code);
    if (existing) { // the same symptom twice: keep one row, with the newer severity
      existing.querySelector('.symptom-row-severity').value = severity;
    } else {
      const row = el('li', 'symptom-row');
      row.dataset.code = code;
      const name = el('span', 'symptom-row-name', display(code));
      const hint = el('span', 'symptom-row-hint');
      const remove = el('button', 'symptom-row-remove secondary', 'Remove');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove ' + display(code));
      remove.addEventListener('click', () => {
        const next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        (next ? next.querySelector('.symptom-row-remove') : input).focus();
      });
      row.append(name, severitySelect(severity, 'Severity of ' + display(code)), remove, hint);
      rows.appendChild(row);
      markVocabulary(row);
    }
    input.value = '';
    $('symptom-severity').value = '';
    input.focus();
    return true;
  }

  // ---- errors ----

  function clearError(id) {
    const target = $(id);
    const box = $(id + '-error');
    if (box) {
      box.textContent = '';
    }
    if (target && target.removeAttribute) {
      target.removeAttribute('aria-invalid');
    }
  }

  function showError(id, message) {
    const box = $(id + '-error');
    if (!box) {
      return false;
    }
    box.textContent = box.textContent ? box.textContent + ' ' + message : message;
    const target = id === 'symptoms' ? $('symptom-input') : $(id);
    if (target) {
      target.setAttribute('aria-invalid', 'true');
    }
    return true;
  }

  function clearErrors() {
    for (const box of document.querySelectorAll('.field-error')) {
      box.textContent = '';
    }
    for (const e of document.querySelectorAll('[aria-invalid]')) {
      e.removeAttribute('aria-invalid');
    }
  }

  /** The form element of an error's field: "age", "symptoms[1].severity", "vital_signs.spo2". */
  function fieldId(field) {
    const path = String(field).replace(/^records\[\d+\]\.?/, '').replace(/^vital_signs\./, '');
    const first = path.split(/[.[]/)[0];
    return FIELD_TO_ID[first] || null;
  }

  // ---- the record ----

  /** The record the form describes, or null when a field cannot be read (its error is shown). */
  function record() {
    const rec = {};
    let ok = true;
    const numeric = (group, whole) => {
      for (const [id, field] of Object.entries(group)) {
        const input = $(id);
        if (input.validity.badInput) {
          showError(id, 'Enter a number.');
          ok = false;
        } else if (input.value !== '') {
          const n = Number(input.value);
          if (!Number.isFinite(n)) {
            showError(id, 'Enter a number.');
            ok = false;
          } else if (whole && !Number.isInteger(n)) {
            showError(id, 'Enter a whole number.');
            ok = false;
          } else {
            rec[field] = n;
          }
        }
      }
    };
    numeric(INTEGER_FIELDS, true);
    for (const [id, field] of Object.entries(TEXT_FIELDS)) {
      const v = $(id).value.trim();
      if ($(id).validity && $(id).validity.badInput) {
        showError(id, 'Enter a complete date.');
        ok = false;
      } else if (v) {
        rec[field] = v;
      }
    }
    const symptoms = Array.from($('symptom-rows').children).map((row) => {
      const severity = row.querySelector('.symptom-row-severity').value;
      return severity ? { name: row.dataset.code, severity: Number(severity) } : { name: row.dataset.code };
    });
    if (symptoms.length === 0) {
      showError('symptoms', 'Add at least one symptom.');
      ok = false;
    }
    rec.symptoms = symptoms;
    rec.previous_diagnoses = $('previous-diagnoses').value.split(',').map((s) => s.trim()).filter((s) => s);
    numeric(NUMBER_FIELDS, false);
    return ok ? rec : null;
  }

  // ---- the result ----

  function percent(p) {
    const v = p * 100;
    return v > 0 && v < 0.05 ? '<0.1 %' : v.toFixed(1) + ' %';
  }

  function resetResult(state) {
    const result = $('result');
    result.dataset.state = state;
    result.setAttribute('aria-busy', state === 'busy' ? 'true' : 'false');
    $('result-error').textContent = '';
    $('top3').replaceChildren();
    $('notes').replaceChildren();
    $('model-info').textContent = '';
    $('request-id').textContent = '';
    $('result-empty').hidden = state !== 'idle';
  }

  function showDiseases(diseases) {
    const list = $('top3');
    for (const d of diseases) {
      const li = el('li', 'disease' + (d.orphan ? ' orphan' : ''));
      li.dataset.code = d.code;
      li.dataset.probability = String(d.probability);
      li.dataset.orphan = String(Boolean(d.orphan));
      const head = el('div', 'disease-head');
      head.appendChild(el('span', 'disease-name', d.name || d.code));
      if (d.orphan) {
        head.appendChild(el('span', 'badge-orphan', 'orphan disease'));
      }
      if (d.orphan && d.catalogue_id) { // ORPHA:/OMIM: ids, to look the rare disease up
        head.appendChild(el('span', 'catalogue-id', d.catalogue_id));
      }
      head.appendChild(el('span', 'disease-probability', percent(d.probability)));
      const bar = el('div', 'bar');
      bar.setAttribute('aria-hidden', 'true'); // the percentage beside it says the same
      const fill = el('div', 'bar-fill');
      fill.style.width = Math.max(0, Math.min(100, d.probability * 100)) + '%';
      bar.appendChild(fill);
      li.append(head, bar);
      list.appendChild(li);
    }
  }

  function showNotes(notes, flags) {
    const list = $('notes');
    for (const n of notes || []) {
      list.appendChild(el('li', 'note', n));
    }
    if (!notes || notes.length === 0) { // a 422 carries the flags only
      for (const f of flags || []) {
        list.appendChild(el('li', 'flag', f));
      }
    }
  }

  function showMeta(body, response) {
    if (body && body.model) {
      $('model-info').textContent = 'Model: ' + modelText(body.model);
    }
    const id = (body && body.request_id) || response.headers.get('X-Request-Id');
    if (id) {
      $('request-id').textContent = 'Request id: ' + id;
    }
  }

  function showProblem(response, body) {
    const result = $('result');
    result.dataset.state = 'error';
    result.setAttribute('aria-busy', 'false');
    let message;
    if (response.status === 401 || response.status === 403) {
      message = authMessage(response.status);
      showError('token', message);
    } else if (body && body.detail) {
      message = (body.title ? body.title + ': ' : '') + body.detail;
    } else {
      message = 'The service answered HTTP ' + response.status + '.';
    }
    $('result-error').textContent = message;
    let first = null;
    for (const e of (body && body.errors) || []) {
      const id = fieldId(e.field);
      if (id && showError(id, e.reason)) {
        first = first || id;
      } else {
        $('notes').appendChild(el('li', 'flag', e.field + ': ' + e.reason));
      }
    }
    if (body && (body.notes || body.flags)) { // a 422 has the flags (and their notes, where the server gives them)
      showNotes(body.notes, body.flags);
    }
    showMeta(body, response);
    if (first) {
      (first === 'symptoms' ? $('symptom-input') : $(first)).focus();
    }
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors();
    if ($('symptom-input').value.trim()) { // typed but not added yet: add it
      addSymptom();
    }
    const rec = record();
    if (!rec) {
      resetResult('error');
      $('result-error').textContent = 'Check the fields marked in the form.';
      return;
    }
    resetResult('busy');
    const button = $('submit');
    button.disabled = true;
    try {
      const r = await fetch('v1/predict', { method: 'POST', headers: headers(true), body: JSON.stringify(rec),
        cache: 'no-store' });
      const body = await readJson(r);
      if (!r.ok) {
        showProblem(r, body);
        return;
      }
      const p = body && body.predictions && body.predictions[0];
      if (!p || p.status !== 'predicted') {
        showProblem(r, { detail: (p && p.reason) || 'the service gave no prediction', flags: p && p.flags });
        return;
      }
      showDiseases(p.diseases || []);
      showNotes(p.notes, p.flags);
      showMeta(body, r);
      $('result').dataset.state = 'done';
      $('result').setAttribute('aria-busy', 'false');
    } catch (e) {
      resetResult('error');
      $('result-error').textContent = 'The service cannot be reached. Try again in a moment.';
    } finally {
      button.disabled = false;
    }
  }

  function init() {
    const token = $('token');
    token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    token.addEventListener('input', () => {
      const v = token.value.trim();
      if (v) {
        sessionStorage.setItem(TOKEN_KEY, v);
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
      }
      clearError('token');
    });
    token.addEventListener('change', loadVocabulary);
    $('symptom-input').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault(); // Enter in the symptom field adds it instead of submitting the form
        addSymptom();
      }
    });
    $('symptom-add').addEventListener('click', addSymptom);
    $('predict-form').addEventListener('submit', submit);
    $('predict-form').addEventListener('reset', () => {
      $('symptom-rows').replaceChildren();
      clearErrors();
      resetResult('idle');
      setTimeout(() => { // the reset empties the token field too; keep the tab's token
        token.value = sessionStorage.getItem(TOKEN_KEY) || '';
      }, 0);
    });
    resetResult('idle');
    loadVocabulary();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
