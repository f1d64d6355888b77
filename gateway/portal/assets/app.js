// jtgw portal: sign in with Jira credentials, then create, copy, list and revoke access
// tokens. Talks only to this origin's /api (see gateway/portal/portal_service.hpp). User
// data is only ever set through textContent/value, never parsed as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const DAY_MS = 24 * 60 * 60 * 1000;
  const SOON_DAYS = 5;

  const state = { csrf: '', username: '', today: '', maxExpires: null, maxDays: null, lastFocus: null };

  // ---- API --------------------------------------------------------------------------
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      return { ok: false, status: 0, data: { message: 'jtgw cannot be reached; check your connection and try again.' } };
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = { message: text }; }
    }
    if (response.status === 401 && path !== '/api/session') showSignIn('Your session ended; sign in again.');
    return { ok: response.ok, status: response.status, data: data || {} };
  }

  // ---- Field errors: shown next to the field they concern -------------------------
  function setFieldError(field, message) {
    const input = $(field);
    const error = $(field + '-error');
    if (error) error.textContent = message || '';
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  function clearErrors(fields, formError) {
    fields.forEach((f) => setFieldError(f, ''));
    $(formError).textContent = '';
  }

  // An API error: next to its field when the server names one of `fields`, else in
  // the form's own error line. Returns the element to focus.
  function showError(result, fields, formError) {
    const message = result.data.message || ('Request failed (HTTP ' + result.status + ').');
    const field = result.data.field;
    if (field && fields.includes(field)) {
      setFieldError(field, capitalize(message) + '.');
      return $(field);
    }
    $(formError).textContent = capitalize(message) + (message.endsWith('.') ? '' : '.');
    return null;
  }

  function capitalize(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

  // ---- Views ------------------------------------------------------------------------
  // `note` is information (signed out, session ended), not an error.
  function showSignIn(note) {
    state.csrf = '';
    $('loading').hidden = true;
    $('app-view').hidden = true;
    $('who').hidden = true;
    $('sign-in-view').hidden = false;
    for (const d of [$('create-dialog'), $('revoke-dialog')]) if (d.open) d.close();
    $('sign-in-note').textContent = note || '';
    $('sign-in-error').textContent = '';
    $('secret').value = '';
    ($('username').value ? $('secret') : $('username')).focus();
  }

  function showApp(session) {
    state.csrf = session.csrf_token;
    state.username = session.username;
    state.today = session.today;
    state.maxExpires = session.max_expires;
    state.maxDays = session.max_days;
    $('loading').hidden = true;
    $('sign-in-view').hidden = true;
    $('app-view').hidden = false;
    $('who').hidden = false;
    $('who-name').textContent = session.username;
    $('tableau-user').textContent = session.username;
    $('odata-url').textContent = window.location.origin + '/odata/';
    refreshTokens();
  }

  // ---- Sign in / out ----------------------------------------------------------------
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(['username', 'secret'], 'sign-in-error');
    $('sign-in-note').textContent = '';
    const username = $('username').value.trim();
    const secret = $('secret').value;
    let invalid = null;
    if (!username) { setFieldError('username', 'Enter your username.'); invalid = invalid || $('username'); }
    if (!secret) { setFieldError('secret', 'Enter your Jira API token or personal access token.'); invalid = invalid || $('secret'); }
    if (invalid) { invalid.focus(); return; }

    const button = $('sign-in-submit');
    button.disabled = true;
    button.textContent = 'Signing in…';
    const result = await api('POST', '/api/session', { username, secret });
    button.disabled = false;
    button.textContent = 'Sign in';
    if (result.ok) {
      $('secret').value = '';
      const session = await api('GET', '/api/session');
      if (session.ok) { showApp(session.data); $('tokens-title').focus(); }
      return;
    }
    let message = result.data.message || 'Sign-in failed.';
    if (result.status === 401) message = 'Jira did not accept this username and token. Check both and try again.';
    if (result.status === 429) message = capitalize(result.data.message || 'Too many failed attempts; wait and try again.');
    if (result.status === 502 || result.status === 503) message = 'Jira could not be reached to check your credentials. Try again later.';
    const target = showError({ status: result.status, data: { message, field: result.data.field } },
                             ['username', 'secret'], 'sign-in-error');
    (target || $('secret')).focus();
  });

  $('sign-out').addEventListener('click', async () => {
    await api('DELETE', '/api/session');
    $('tokens-body').replaceChildren();
    showSignIn('You are signed out.');
  });

  // ---- Token list -------------------------------------------------------------------
  function formatInstant(iso) {
    // "2025-03-02T14:05:09.123Z" → "2025-03-02 14:05 UTC": the same clock as expiry dates.
    return iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC';
  }

  // The token's own date, or, when the administrator's limit ends it earlier, that
  // instant; "expires soon" within SOON_DAYS of the effective end.
  function expiryCell(td, token) {
    if (!token.expires_at) {
      td.textContent = 'never';
      return;
    }
    // One element holds date, badge and note: the narrow layout grids label | value.
    const value = document.createElement('span');
    td.append(value);
    td = value;
    const at = Date.parse(token.expires_at);
    const ownEnd = token.expires ? Date.parse(token.expires + 'T00:00:00Z') + DAY_MS : null;
    const capped = ownEnd === null || at < ownEnd;
    td.append(document.createTextNode(capped ? formatInstant(token.expires_at) : token.expires));
    const left = at - Date.now();
    if (left <= 0) td.append(badge('expired', 'expired'));
    else if (left <= SOON_DAYS * DAY_MS) td.append(badge('expires soon', ''));
    if (capped) {
      const note = document.createElement('span');
      note.className = 'sub';
      note.textContent = 'limit set by your administrator';
      td.append(note);
    }
  }

  function badge(text, extra) {
    const span = document.createElement('span');
    span.className = 'badge' + (extra ? ' ' + extra : '');
    span.textContent = text;
    return span;
  }

  function cell(row, label, text) {
    const td = document.createElement('td');
    td.dataset.label = label;
    if (text !== undefined) td.textContent = text;
    row.append(td);
    return td;
  }

  function renderTokens(tokens) {
    const body = $('tokens-body');
    body.replaceChildren();
    for (const token of tokens) {
      const row = document.createElement('tr');
      row.dataset.tokenId = token.id;
      const label = cell(row, 'Label', token.label);
      label.className = 'label-cell';
      cell(row, 'Created', token.created ? formatInstant(token.created) : 'unknown');
      expiryCell(cell(row, 'Expires'), token);
      cell(row, 'Last used', token.last_used ? formatInstant(token.last_used) : 'never');
      const actions = cell(row, '');
      actions.className = 'actions-cell';
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'small';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', 'Revoke ' + token.label);
      revoke.addEventListener('click', () => openRevoke(token, revoke));
      actions.append(revoke);
      body.append(row);
    }
    $('tokens-table').hidden = tokens.length === 0;
    $('tokens-empty').hidden = tokens.length !== 0;
  }

  async function refreshTokens() {
    const result = await api('GET', '/api/tokens');
    if (result.ok) {
      $('tokens-status').textContent = '';
      renderTokens(result.data);
    } else if (result.status !== 401) {
      $('tokens-status').textContent = capitalize(result.data.message || 'The token list could not be loaded.');
    }
  }

  // ---- Create dialog ----------------------------------------------------------------
  const createDialog = $('create-dialog');

  $('create-open').addEventListener('click', () => {
    state.lastFocus = $('create-open');
    $('create-form').reset();
    clearErrors(['label', 'expires'], 'create-error');
    $('expires').min = state.today || '';
    $('expires').max = state.maxExpires || '';
    $('expires-hint').textContent = state.maxExpires
      ? 'Required: your administrator limits tokens to ' + state.maxDays + ' days (latest ' + state.maxExpires + '). The token works through the end of this day, UTC.'
      : 'Optional. The token works through the end of this day, UTC. Leave it empty for a token that does not expire.';
    $('create-form').hidden = false;
    $('created-view').hidden = true;
    createDialog.showModal();
    $('label').focus();
  });

  $('create-cancel').addEventListener('click', () => createDialog.close());

  $('create-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(['label', 'expires'], 'create-error');
    const label = $('label').value.trim();
    const expiresInput = $('expires');
    if (!label) { setFieldError('label', 'Enter a label.'); $('label').focus(); return; }
    if (expiresInput.validity.badInput) {
      setFieldError('expires', 'Enter a complete date, or leave it empty.');
      expiresInput.focus();
      return;
    }
    const button = $('create-submit');
    button.disabled = true;
    const result = await api('POST', '/api/tokens', { label, expires: expiresInput.value || null });
    button.disabled = false;
    if (!result.ok) {
      if (result.status === 401) return;
      const target = showError(result, ['label', 'expires'], 'create-error');
      (target || $('label')).focus();
      return;
    }
    $('new-token').value = result.data.token;
    $('copy-status').textContent = '';
    $('create-form').hidden = true;
    $('created-view').hidden = false;
    $('copy-token').focus();
    refreshTokens();
  });

  $('copy-token').addEventListener('click', async () => {
    const field = $('new-token');
    try {
      await navigator.clipboard.writeText(field.value);
      $('copy-status').textContent = 'Copied to the clipboard.';
    } catch (e) {
      // No Clipboard API (plain http to a non-local host): select it for Ctrl+C.
      field.focus();
      field.select();
      const copied = document.execCommand && document.execCommand('copy');
      $('copy-status').textContent = copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });

  // The token leaves the page with the dialog. The dialog's 'close' event comes a task
  // after close() (and covers Esc); the Close button clears it at once as well.
  const forgetToken = () => { $('new-token').value = ''; };
  $('created-close').addEventListener('click', () => {
    forgetToken();
    createDialog.close();
  });

  createDialog.addEventListener('close', () => {
    forgetToken();
    (state.lastFocus || $('create-open')).focus();
  });

  // ---- Revoke dialog ----------------------------------------------------------------
  const revokeDialog = $('revoke-dialog');
  let revoking = null;

  function openRevoke(token, button) {
    revoking = token;
    state.lastFocus = button;
    $('revoke-label').textContent = token.label;
    $('revoke-error').textContent = '';
    revokeDialog.showModal();
    $('revoke-cancel').focus();  // the safe choice has focus; Revoke is one Tab away
  }

  $('revoke-cancel').addEventListener('click', () => revokeDialog.close());

  $('revoke-confirm').addEventListener('click', async () => {
    if (!revoking) return;
    const button = $('revoke-confirm');
    button.disabled = true;
    const result = await api('DELETE', '/api/tokens/' + encodeURIComponent(revoking.id));
    button.disabled = false;
    if (result.ok || result.status === 404) {  // 404: already gone
      const label = revoking.label;
      revoking = null;
      state.lastFocus = $('create-open');
      revokeDialog.close();
      await refreshTokens();
      $('tokens-status').textContent = 'Revoked “' + label + '”.';
      return;
    }
    if (result.status !== 401) $('revoke-error').textContent = capitalize(result.data.message || 'Revoking failed.');
  });

  revokeDialog.addEventListener('close', () => {
    (state.lastFocus && state.lastFocus.isConnected ? state.lastFocus : $('create-open')).focus();
  });

  // ---- Start ------------------------------------------------------------------------
  (async () => {
    const session = await api('GET', '/api/session');
    if (session.ok) showApp(session.data);
    else {
      showSignIn('');
      if (session.status !== 401) $('sign-in-error').textContent = capitalize(session.data.message || 'jtgw did not answer.');
    }
  })();
})();
