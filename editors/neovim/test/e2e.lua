-- End-to-end test of the outreach-lsp Neovim integration against the real server.
--
-- Run through editors/neovim/test/run.sh, or directly:
--   OUTREACH_LSP_BIN=target/debug/outreach-lsp nvim --headless --clean -c 'luafile editors/neovim/test/e2e.lua'
--
-- Environment:
--   OUTREACH_LSP_BIN        server binary (default: the newer of target/release/ and target/debug/outreach-lsp)
--   OUTREACH_E2E_TMP        scratch directory (default: a fresh tempname())
--   OUTREACH_E2E_TIMEOUT_MS how long each wait may take (default 20000)
--
-- Prints one PASS/FAIL line per check and ends with "N passed, N failed" alone on a line.
-- Exits non-zero on any failure, Lua error or timeout.

local uv = vim.uv or vim.loop

local script_path = debug.getinfo(1, 'S').source:gsub('^@', '')
local test_dir = vim.fn.fnamemodify(script_path, ':p:h')
local plugin_dir = vim.fn.fnamemodify(test_dir, ':h') -- editors/neovim
local repo_dir = vim.fn.fnamemodify(plugin_dir, ':h:h')
local fixture = test_dir .. '/fixtures/fixture.outreach.md'

local TIMEOUT = tonumber(vim.env.OUTREACH_E2E_TIMEOUT_MS or '') or 20000
local NAME = 'outreach_lsp'
local SOURCE = 'outreach-lsp'

local passed, failed = 0, 0

local function out(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out('PASS ' .. name)
  else
    failed = failed + 1
    out('FAIL ' .. name .. (detail and ('  -- ' .. detail) or ''))
  end
  return ok
end

local function inspect1(v)
  return vim.inspect(v, { newline = ' ', indent = '' })
end

-- Raises (and so aborts the current scenario) after recording a failure.
local function require_ok(name, ok, detail)
  if not check(name, ok, detail) then
    error({ aborted = name }, 0)
  end
end

--- Waits for cond(); a timeout is a failure.
local function wait_for(ms, cond)
  local ok = vim.wait(ms, cond, 25)
  return ok == true
end

---------------------------------------------------------------------------------------------
-- Environment
---------------------------------------------------------------------------------------------

local function find_bin()
  local env = vim.env.OUTREACH_LSP_BIN
  if env and env ~= '' then
    return vim.fn.fnamemodify(env, ':p')
  end
  -- The newer of the release and debug builds.
  local best, best_mtime
  for _, p in ipairs({ 'target/release/outreach-lsp', 'target/debug/outreach-lsp' }) do
    local full = repo_dir .. '/' .. p
    local st = uv.fs_stat(full)
    if st and vim.fn.executable(full) == 1 and (not best_mtime or st.mtime.sec > best_mtime) then
      best, best_mtime = full, st.mtime.sec
    end
  end
  return best
end

local BIN = find_bin()

local tmp = vim.env.OUTREACH_E2E_TMP
if not tmp or tmp == '' then
  tmp = vim.fn.tempname()
end
vim.fn.mkdir(tmp, 'p')
tmp = uv.fs_realpath(tmp) or tmp

local function write_file(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local f = assert(io.open(path, 'wb'))
  f:write(text)
  f:close()
end

local function read_file(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

--- A project dir with a root marker and a copy of the fixture.
local function project(name, files)
  local dir = tmp .. '/' .. name
  vim.fn.mkdir(dir .. '/.git', 'p')
  for fname, text in pairs(files) do
    write_file(dir .. '/' .. fname, text)
  end
  return dir
end

---------------------------------------------------------------------------------------------
-- Diagnostics bookkeeping: count publishDiagnostics per URI so a wait can require a *new* publish.
---------------------------------------------------------------------------------------------

local publishes = {} ---@type table<string, {count: integer, last: table}>
local orig_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, ...)
  if result and result.uri then
    local p = publishes[result.uri] or { count = 0 }
    p.count = p.count + 1
    p.last = result.diagnostics
    publishes[result.uri] = p
  end
  return orig_publish(err, result, ctx, ...)
end

local function publish_count(uri)
  return publishes[uri] and publishes[uri].count or 0
end

local function our_diags(bufnr)
  return vim.tbl_filter(function(d)
    return d.source == SOURCE
  end, vim.diagnostic.get(bufnr))
end

local function find_code(ds, code)
  for _, d in ipairs(ds) do
    if d.code == code then
      return d
    end
  end
end

local function codes(ds)
  local c = {}
  for _, d in ipairs(ds) do
    c[#c + 1] = tostring(d.code) .. '@' .. d.lnum .. ':' .. d.col
  end
  table.sort(c)
  return table.concat(c, ',')
end

local function lsp_range(d)
  local l = d.user_data and d.user_data.lsp
  return l and l.range
end

local function range_is(r, sl, sc, el, ec)
  return r ~= nil
    and r.start.line == sl
    and r.start.character == sc
    and r['end'].line == el
    and r['end'].character == ec
end

local function range_str(r)
  if not r then
    return 'nil'
  end
  return ('%d:%d-%d:%d'):format(r.start.line, r.start.character, r['end'].line, r['end'].character)
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  local c = result.contents
  if type(c) == 'string' then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, item in ipairs(c) do
    parts[#parts + 1] = type(item) == 'string' and item or (item.value or '')
  end
  return table.concat(parts, '\n')
end

local function open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  return bufnr, vim.uri_from_bufnr(bufnr)
end

-- Server exits, recorded through a '*' config so a dead server fails fast instead of timing out.
local exits = {} ---@type string[]
vim.lsp.config('*', {
  on_exit = function(code, signal, client_id)
    exits[#exits + 1] = ('client %d exited: code %s, signal %s'):format(client_id, tostring(code), tostring(signal))
  end,
})

--- Returns the initialized client for bufnr, or nil and why not.
local function client_for(bufnr)
  local seen_exits = #exits
  local client
  wait_for(TIMEOUT, function()
    local c = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
    if c ~= nil and c.initialized == true then
      client = c
      return true
    end
    return #exits > seen_exits
  end)
  if client then
    return client
  end
  if #exits > seen_exits then
    return nil, 'server exited before initializing (' .. exits[#exits] .. ')'
  end
  return nil, 'no initialized client after ' .. TIMEOUT .. ' ms'
end

local function stop_all()
  vim.lsp.enable(NAME, false)
  wait_for(10000, function()
    return #vim.lsp.get_clients({ name = NAME }) == 0
  end)
  vim.cmd('silent! %bwipeout!')
end

local function request(client, bufnr, method, params)
  local resp, err = client:request_sync(method, params, TIMEOUT, bufnr)
  if not resp then
    return nil, 'no response (' .. tostring(err) .. ')'
  end
  if resp.err then
    return nil, 'error ' .. inspect1(resp.err)
  end
  return resp.result
end

---------------------------------------------------------------------------------------------
-- Scenarios
---------------------------------------------------------------------------------------------

local FIXTURE_TEXT = read_file(fixture)

--- Waits for the fixture's two findings and checks ids, severities and positions.
local function check_fixture_diagnostics(label, bufnr)
  local got = wait_for(TIMEOUT, function()
    local ds = our_diags(bufnr)
    return find_code(ds, 'unknown-placeholder') ~= nil and find_code(ds, 'default-invitation-text') ~= nil
  end)
  require_ok(
    label .. ': diagnostics from source outreach-lsp arrive (unknown-placeholder, default-invitation-text)',
    got,
    ('timed out after %d ms; got [%s]'):format(TIMEOUT, codes(our_diags(bufnr)))
  )
  local ds = our_diags(bufnr)
  local up = find_code(ds, 'unknown-placeholder')
  local dit = find_code(ds, 'default-invitation-text')
  check(
    label .. ': unknown-placeholder is an Error at 0:3-0:17 (the whole {{frist_name}})',
    up.severity == vim.diagnostic.severity.ERROR and range_is(lsp_range(up), 0, 3, 0, 17),
    ('severity=%s range=%s'):format(tostring(up.severity), range_str(lsp_range(up)))
  )
  check(
    label .. ': default-invitation-text is a Warning on line 2',
    dit.severity == vim.diagnostic.severity.WARN
      and lsp_range(dit) ~= nil
      and lsp_range(dit).start.line == 2,
    ('severity=%s range=%s'):format(tostring(dit.severity), range_str(lsp_range(dit)))
  )
  return up, dit
end

local function scenario_filetypes()
  -- ftdetect/ files are sourced by `:filetype on`, which already ran; source ours like a plugin
  -- manager would.
  vim.cmd('runtime! ftdetect/outreach.lua')
  local cases = {
    { 'hello.outreach.md', 'outreach' },
    { 'hello.outreach', 'outreach' },
    { 'hello.outreach.txt', 'outreach' },
    { 'notes.md', 'markdown' },
    { 'outreach.md', 'markdown' },
  }
  for _, case in ipairs(cases) do
    local fname, want = case[1], case[2]
    local ft = vim.filetype.match({ filename = '/some/dir/' .. fname })
    check(('filetype: %s -> %s'):format(fname, want), ft == want, 'got ' .. tostring(ft))
  end
  local ft = vim.filetype.match({ filename = '/some/dir/notes.txt' })
  check('filetype: notes.txt is not outreach', ft ~= 'outreach', 'got ' .. tostring(ft))
end

--- lsp/outreach_lsp.lua on 'runtimepath' + vim.lsp.enable, server found on $PATH, no setup().
local function scenario_runtime_config()
  local label = 'runtime lsp/outreach_lsp.lua'
  local cfg = vim.lsp.config[NAME]
  require_ok(label .. ': config resolves from runtimepath', cfg ~= nil)
  check(
    label .. ': cmd, filetypes, root_markers',
    vim.deep_equal(cfg.cmd, { 'outreach-lsp', 'serve' })
      and vim.deep_equal(cfg.filetypes, { 'outreach', 'markdown' })
      and vim.deep_equal(cfg.root_markers, { '.outreach.toml', '.git' }),
    inspect1({ cfg.cmd, cfg.filetypes, cfg.root_markers })
  )

  -- Put the binary on PATH under its canonical name.
  local bindir = tmp .. '/bin'
  vim.fn.mkdir(bindir, 'p')
  local link = bindir .. '/outreach-lsp'
  if not uv.fs_stat(link) then
    assert(uv.fs_symlink(BIN, link))
  end
  vim.env.PATH = bindir .. ':' .. vim.env.PATH

  vim.lsp.enable(NAME)
  local dir = project('runtime', { ['fixture.outreach.md'] = FIXTURE_TEXT })
  local bufnr = open(dir .. '/fixture.outreach.md')
  check(label .. ': buffer filetype is outreach', vim.bo[bufnr].filetype == 'outreach', vim.bo[bufnr].filetype)
  -- syntax/outreach.vim: Markdown plus {{ placeholders }} (line 1, byte 6 is inside {{frist_name}}).
  local syn = vim.fn.synIDattr(vim.fn.synID(1, 6, 1), 'name')
  check(label .. ': syntax/outreach.vim highlights {{frist_name}} as outreachPlaceholder', syn == 'outreachPlaceholder', syn)
  local client, why = client_for(bufnr)
  require_ok(label .. ': client attaches and initializes', client ~= nil, why)
  check(label .. ': root_dir found via root_markers (.git)', client.root_dir == dir, tostring(client.root_dir))
  check_fixture_diagnostics(label, bufnr)
end

--- require('outreach_lsp').setup{ cmd = {BIN, 'serve'} }: diagnostics, code action, fix, hover.
local function scenario_setup_full()
  local label = 'setup()'
  require('outreach_lsp').setup({ cmd = { BIN, 'serve' } })
  check(label .. ': outreach_lsp enabled', vim.lsp.is_enabled(NAME))

  local dir = project('setup', { ['fixture.outreach.md'] = FIXTURE_TEXT })
  local path = dir .. '/fixture.outreach.md'
  local bufnr, uri = open(path)
  local client, why = client_for(bufnr)
  require_ok(label .. ': client attaches and initializes', client ~= nil, why)
  check(label .. ': client runs the configured binary', client.config.cmd[1] == BIN, inspect1(client.config.cmd))
  local up = check_fixture_diagnostics(label, bufnr)

  -- Code actions at the unknown-placeholder finding.
  local lsp_diag = up.user_data.lsp
  local actions, err = request(client, bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, triggerKind = 1 },
  })
  require_ok(label .. ': textDocument/codeAction answers', actions ~= nil, err)
  local preferred
  for _, a in ipairs(actions) do
    if a.isPreferred and a.kind == 'quickfix' then
      preferred = preferred or a
    end
  end
  local titles = vim.tbl_map(function(a)
    return a.title
  end, actions)
  require_ok(label .. ': a preferred quickfix is offered', preferred ~= nil, 'actions: ' .. inspect1(titles))
  check(
    label .. ': preferred quickfix titled "Replace with {{first_name}}"',
    preferred.title == 'Replace with {{first_name}}',
    preferred.title
  )
  if not preferred.edit and preferred.data ~= nil then
    local resolved = request(client, bufnr, 'codeAction/resolve', preferred)
    preferred = resolved or preferred
  end
  require_ok(label .. ': preferred quickfix carries a workspace edit', preferred.edit ~= nil, inspect1(preferred))

  local before = publish_count(uri)
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  check(
    label .. ': applying it makes line 0 "Hi {{first_name}},"',
    lines[1] == 'Hi {{first_name}},',
    inspect1(lines[1])
  )
  check(
    label .. ': rest of the buffer untouched',
    table.concat(lines, '\n', 2) == "\nI'd like to add you to my professional network on LinkedIn.",
    inspect1(lines)
  )

  local republished = wait_for(TIMEOUT, function()
    local ds = our_diags(bufnr)
    return publish_count(uri) > before
      and find_code(ds, 'unknown-placeholder') == nil
      and find_code(ds, 'default-invitation-text') ~= nil
  end)
  check(
    label .. ': after the fix, re-published diagnostics no longer contain unknown-placeholder',
    republished,
    ('timed out after %d ms; publishes %d -> %d; got [%s]'):format(
      TIMEOUT,
      before,
      publish_count(uri),
      codes(our_diags(bufnr))
    )
  )

  -- Hover on the placeholder (inside {{first_name}}, line 0 character 6).
  local hover, herr = request(client, bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = 0, character = 6 },
  })
  local htext = hover_text(hover)
  check(
    label .. ': hover on {{first_name}} names first_name and its example value Ana',
    htext:find('first_name', 1, true) ~= nil and htext:find('Ana', 1, true) ~= nil,
    herr or inspect1(htext)
  )

  -- Hover on the default-invitation-text finding: rule docs headed by the rule id.
  local hover2, herr2 = request(client, bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = 2, character = 10 },
  })
  local htext2 = hover_text(hover2)
  check(
    label .. ': hover on a finding starts with the rule id as a heading',
    htext2:match('^%s*#+%s*`?default%-invitation%-text`?') ~= nil,
    herr2 or inspect1(htext2:sub(1, 120))
  )
  return client
end

--- Markdown buffers attach too; the server decides which are templates.
local function scenario_markdown()
  local label = 'markdown'
  local dir = project('markdown', {
    ['note.md'] = '---\nchannel: linkedin\n---\nHi {{frist_name}},\n',
    ['plain.md'] = '# Notes\n\nHi {{frist_name}},\n',
  })

  local bufnr = open(dir .. '/note.md')
  check(label .. ': note.md has filetype markdown', vim.bo[bufnr].filetype == 'markdown', vim.bo[bufnr].filetype)
  local client, why = client_for(bufnr)
  require_ok(label .. ': client attaches to a Markdown buffer', client ~= nil, why)
  local got = wait_for(TIMEOUT, function()
    return find_code(our_diags(bufnr), 'unknown-placeholder') ~= nil
  end)
  local up = find_code(our_diags(bufnr), 'unknown-placeholder')
  check(
    label .. ': front matter with channel -> template: unknown-placeholder at 3:3-3:17',
    got and range_is(lsp_range(up), 3, 3, 3, 17),
    got and range_str(lsp_range(up)) or ('timed out; got [' .. codes(our_diags(bufnr)) .. ']')
  )

  local pbuf, puri = open(dir .. '/plain.md')
  local published = wait_for(TIMEOUT, function()
    return publish_count(puri) > 0
  end)
  check(
    label .. ': plain Markdown (no front matter) -> empty diagnostics list published',
    published and #publishes[puri].last == 0 and #our_diags(pbuf) == 0,
    published and ('got [' .. codes(our_diags(pbuf)) .. ']') or ('no publishDiagnostics for ' .. puri .. ' within ' .. TIMEOUT .. ' ms')
  )
end

--- init_options { rules = { default-invitation-text = off } }, then didChangeConfiguration.
local function scenario_settings()
  local label = 'init_options'
  require('outreach_lsp').setup({
    cmd = { BIN, 'serve' },
    init_options = { rules = { ['default-invitation-text'] = 'off' } },
  })
  local dir = project('settings', { ['fixture.outreach.md'] = FIXTURE_TEXT })
  local bufnr = open(dir .. '/fixture.outreach.md')
  local client, why = client_for(bufnr)
  require_ok(label .. ': client attaches and initializes', client ~= nil, why)
  check(
    label .. ': sent as initializationOptions',
    vim.deep_equal(client.config.init_options, { rules = { ['default-invitation-text'] = 'off' } }),
    inspect1(client.config.init_options)
  )
  local got = wait_for(TIMEOUT, function()
    return find_code(our_diags(bufnr), 'unknown-placeholder') ~= nil
  end)
  require_ok(
    label .. ': diagnostics published (unknown-placeholder still reported)',
    got,
    ('timed out after %d ms; got [%s]'):format(TIMEOUT, codes(our_diags(bufnr)))
  )
  -- Give a late second publish a moment to show up before judging the absence.
  vim.wait(300)
  check(
    label .. ': rules.default-invitation-text = "off" suppresses that rule',
    find_code(our_diags(bufnr), 'default-invitation-text') == nil,
    'got [' .. codes(our_diags(bufnr)) .. ']'
  )

  label = 'didChangeConfiguration'
  local n = require('outreach_lsp').update_settings({ rules = { ['default-invitation-text'] = 'error' } })
  check(label .. ': update_settings() notified the running client', n == 1, 'clients: ' .. n)
  local back = wait_for(TIMEOUT, function()
    local d = find_code(our_diags(bufnr), 'default-invitation-text')
    return d ~= nil and d.severity == vim.diagnostic.severity.ERROR
  end)
  check(
    label .. ': settings.outreachLsp rules.default-invitation-text = "error" re-publishes it as an Error',
    back,
    ('timed out after %d ms; got [%s]'):format(TIMEOUT, codes(our_diags(bufnr)))
  )
end


--- The quick-fix list, "fix all", hover and completion as a user gets them through the LSP client.
local NOTE = '---\nchannel: linkedin-connection\n---\nHi [First Name],\n\nI saw your talk at {{event}} and loved it!! Would love to connect.\n'

local function labels(result)
  local items = result and (result.items or result) or {}
  return vim.tbl_map(function(i)
    return i.label
  end, items)
end

local function scenario_user_features()
  local label = 'user features'
  require('outreach_lsp').setup({ cmd = { BIN, 'serve' } })
  local dir = project('features', { ['note.outreach.md'] = NOTE })
  local bufnr, uri = open(dir .. '/note.outreach.md')
  local client, why = client_for(bufnr)
  require_ok(label .. ': client attaches and initializes', client ~= nil, why)
  require_ok(
    label .. ': literal-placeholder published on [First Name]',
    wait_for(TIMEOUT, function()
      return find_code(our_diags(bufnr), 'literal-placeholder') ~= nil
    end),
    'got [' .. codes(our_diags(bufnr)) .. ']'
  )

  -- What vim.lsp.buf.code_action() sends with the cursor in [First Name]: the line's diagnostics.
  local line_diags = vim.tbl_map(function(d)
    return d.user_data.lsp
  end, vim.diagnostic.get(bufnr, { lnum = 3 }))
  local pos = { line = 3, character = 6 }
  local actions, err = request(client, bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = pos, ['end'] = pos },
    context = { diagnostics = line_diags, triggerKind = 1 },
  })
  require_ok(label .. ': textDocument/codeAction answers', actions ~= nil and #actions > 0, err)
  local titles = vim.tbl_map(function(a)
    return a.title
  end, actions)
  check(
    label .. ': the first code action on [First Name] is the preferred fix "Replace with {{first_name}}"',
    actions[1].title == 'Replace with {{first_name}}' and actions[1].isPreferred == true,
    inspect1(titles)
  )
  local preferred = vim.tbl_filter(function(a)
    return a.isPreferred
  end, actions)
  check(label .. ': exactly one action is preferred', #preferred == 1, inspect1(titles))
  check(label .. ': "Disable" actions come last', titles[#titles]:match('^Disable') ~= nil, inspect1(titles))

  -- Hover on [First Name]: that finding with its rule's summary and link, the others one line each.
  local hover, herr = request(client, bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = pos })
  local htext = hover_text(hover)
  check(
    label .. ': hover starts with the literal-placeholder finding and links docs/rules/literal-placeholder.md',
    htext:match('^## literal%-placeholder\n\n%[First Name%] would be sent as it is') ~= nil
      and htext:find('docs/rules/literal-placeholder.md', 1, true) ~= nil,
    herr or inspect1(htext)
  )
  check(
    label .. ': other findings at the cursor are one line each',
    htext:find('\n- **no-reason** (warning): ', 1, true) ~= nil and select(2, htext:gsub('\n## ', '')) == 0,
    inspect1(htext)
  )
  local nlines = #vim.split(htext, '\n')
  check(label .. ': hover is compact (at most 14 lines)', nlines <= 14, nlines .. ' lines')

  -- Fix all (source.fixAll), as on save.
  check(label .. ': fix_all() applies the source.fixAll action', require('outreach_lsp').fix_all(bufnr, TIMEOUT))
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  check(
    label .. ': every safe fix applied in one edit',
    text
      == '---\nchannel: linkedin-connection\n---\nHi {{first_name}},\n\nI saw your talk at {{event | default: "the event"}} and loved it! Would love to connect.',
    inspect1(text)
  )

  -- Completion after {{ and after | (and the server's answer keeps a typed space).
  local function complete(line_text)
    vim.api.nvim_buf_set_lines(bufnr, 6, -1, false, { line_text })
    local r, cerr = request(client, bufnr, 'textDocument/completion', {
      textDocument = { uri = uri },
      position = { line = 6, character = #line_text },
    })
    return r, cerr
  end
  local r1, e1 = complete('See you at {{')
  local l1 = labels(r1)
  check(
    label .. ': completion after "{{" offers placeholders',
    vim.tbl_contains(l1, 'first_name') and vim.tbl_contains(l1, 'event'),
    e1 or inspect1(l1)
  )
  local r2, e2 = complete('See you at {{event | ')
  local l2 = labels(r2)
  check(
    label .. ': completion after "| " offers every filter, default first with the fallback for event',
    vim.deep_equal(l2, { 'default: "the event"', 'capitalize', 'upcase', 'downcase', 'strip' }),
    e2 or inspect1(l2)
  )
end

--- Dialect features as a user meets them: hover on a spintax group and on a tag, completion after `{%`
--- inside an open block (its closer first).
local function scenario_dialects()
  local label = 'dialects'
  require('outreach_lsp').setup({ cmd = { BIN, 'serve' } })
  local text = '# Connection request\n\n{Hi|Hello} {{first_name}}, {% if mutual_connection %}we both know {{mutual_connection}}.{% endif %}\n'
  local dir = project('dialects', { ['note.outreach.md'] = text })
  local bufnr, uri = open(dir .. '/note.outreach.md')
  local client, why = client_for(bufnr)
  require_ok(label .. ': client attaches and initializes', client ~= nil, why)
  require_ok(
    label .. ': diagnostics published',
    wait_for(TIMEOUT, function()
      return publish_count(uri) > 0
    end)
  )
  local function hover_at(line, character)
    local r, err = request(client, bufnr, 'textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = line, character = character },
    })
    return hover_text(r), err
  end
  local group, gerr = hover_at(2, 1)
  check(
    label .. ': hover on a spintax group lists its options with their lengths',
    group:find('Spintax group — 2 options', 1, true) ~= nil
      and group:find('1. “Hi” · 2 characters', 1, true) ~= nil
      and group:find('2. “Hello” · 5 characters', 1, true) ~= nil,
    gerr or inspect1(group)
  )
  local tag_col = text:find('{% if', 1, true) - #'# Connection request\n\n'
  local block, berr = hover_at(2, tag_col + 2)
  check(
    label .. ': hover on {% if %} shows the block, each branch with its condition',
    block:find('`if` block — 2 branches', 1, true) ~= nil
      and block:find('`if mutual_connection` →', 1, true) ~= nil
      and block:find('otherwise → nothing', 1, true) ~= nil,
    berr or inspect1(block)
  )
  local heading = hover_at(0, 3)
  check(
    label .. ': hover on the heading says the dialect and the number of renderings',
    heading:find('Dialect: `liquid` (detected from the syntax in this file)', 1, true) ~= nil
      and heading:find('4 distinct renderings', 1, true) ~= nil,
    inspect1(heading)
  )
  -- An open `if` (its endif removed) and `{%` typed on the next line.
  vim.api.nvim_buf_set_lines(bufnr, 2, -1, false, {
    '{Hi|Hello} {{first_name}}, {% if mutual_connection %}we both know {{mutual_connection}}.',
    '{%',
  })
  local r, cerr = request(client, bufnr, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = 3, character = 2 },
  })
  local items = r and (r.items or r) or {}
  local preselected
  for _, i in ipairs(items) do
    if i.preselect then
      preselected = preselected or i
    end
  end
  check(
    label .. ': completion after {% offers the tags, endif preselected and naming the open if',
    preselected ~= nil
      and preselected.label == 'endif'
      and preselected.detail == 'closes `{% if mutual_connection %}` (line 3)'
      and vim.tbl_contains(labels(r), 'else')
      and vim.tbl_contains(labels(r), 'elsif'),
    cerr or inspect1(labels(r)) .. ' ' .. inspect1(preselected)
  )
end

--- A missing binary: one warning when a template is opened, none for other files.
local function scenario_missing_binary()
  local label = 'missing binary'
  local plugin = require('outreach_lsp')
  plugin._warned_missing = false
  local notes = {}
  local orig_notify = vim.notify
  vim.notify = function(msg, level, opts)
    if type(msg) == 'string' and msg:find('was not found or is not executable', 1, true) then
      notes[#notes + 1] = { msg = msg, level = level }
    end
  end
  local ok, err = pcall(function()
    plugin.setup({ cmd = { tmp .. '/no-such-dir/outreach-lsp', 'serve' } })
    local dir = project('missing', {
      ['plain.md'] = '# Notes\n\nnothing here\n',
      ['a.outreach.md'] = FIXTURE_TEXT,
      ['b.outreach.md'] = FIXTURE_TEXT,
    })
    open(dir .. '/plain.md')
    vim.wait(100)
    check(label .. ': no warning for a Markdown file that is not a template', #notes == 0, inspect1(notes))
    open(dir .. '/a.outreach.md')
    vim.wait(100)
    check(
      label .. ': opening a template warns once (vim.notify, WARN) naming the binary and :checkhealth',
      #notes == 1 and notes[1].level == vim.log.levels.WARN and notes[1].msg:find('checkhealth outreach_lsp', 1, true) ~= nil,
      inspect1(notes)
    )
    open(dir .. '/b.outreach.md')
    vim.wait(100)
    check(label .. ': a second template does not warn again', #notes == 1, inspect1(notes))
  end)
  vim.notify = orig_notify
  if not ok then
    error(err, 0)
  end
end

--- :checkhealth outreach_lsp reports the config, the binary and its version.
local function scenario_health()
  local label = 'checkhealth'
  require('outreach_lsp').setup({ cmd = { BIN, 'serve' } })
  vim.cmd('checkhealth outreach_lsp')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check(label .. ': reports the server version', text:find('outreach-lsp 0.', 1, true) ~= nil, inspect1(text))
  check(label .. ': reports the config as enabled', text:find('outreach_lsp is enabled', 1, true) ~= nil, inspect1(text))
  check(label .. ': no ERROR', text:find('ERROR', 1, true) == nil, inspect1(text))
  vim.cmd('silent! bwipeout!')
end

--- The configs in upstream/ agree with the plugin's own.
local function scenario_upstream()
  local label = 'upstream'
  local ours = dofile(plugin_dir .. '/lsp/outreach_lsp.lua')
  local theirs = dofile(plugin_dir .. '/upstream/nvim-lspconfig/lsp/outreach_lsp.lua')
  check(
    label .. ': nvim-lspconfig config has the same cmd, filetypes and root_markers',
    vim.deep_equal(ours.cmd, theirs.cmd)
      and vim.deep_equal(ours.filetypes, theirs.filetypes)
      and vim.deep_equal(ours.root_markers, theirs.root_markers),
    inspect1(theirs)
  )
  local yaml = read_file(plugin_dir .. '/upstream/mason-registry/packages/outreach-lsp/package.yaml')
  check(
    label .. ': Mason package names the binary and the lspconfig name',
    yaml:find('\nname: outreach%-lsp\n') ~= nil and yaml:find('lspconfig: outreach_lsp', 1, true) ~= nil,
    yaml
  )
end

---------------------------------------------------------------------------------------------

local function run(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    if type(err) == 'table' and err.aborted then
      out(('SKIP rest of %s (after failed check: %s)'):format(name, err.aborted))
    else
      check(name .. ': runs without a Lua error', false, tostring(err))
    end
  end
end

local function dump_lsp_log()
  local log = vim.lsp.log.get_filename()
  if uv.fs_stat(log) then
    out('--- tail of ' .. log .. ' ---')
    local lines = vim.split(read_file(log), '\n', { trimempty = true })
    for i = math.max(1, #lines - 40), #lines do
      out(lines[i])
    end
    out('--- end of log ---')
  end
end

local function main()
  out('outreach-lsp Neovim e2e: nvim ' .. tostring(vim.version()) .. ', server ' .. tostring(BIN))
  out('scratch dir: ' .. tmp)
  if not BIN or vim.fn.executable(BIN) ~= 1 then
    check('server binary is executable', false, tostring(BIN))
    return
  end
  vim.opt.runtimepath:prepend(plugin_dir)
  run('filetypes', scenario_filetypes)
  run('runtime config', scenario_runtime_config)
  stop_all()
  run('setup', scenario_setup_full)
  run('markdown', scenario_markdown)
  stop_all()
  run('settings', scenario_settings)
  stop_all()
  run('user features', scenario_user_features)
  stop_all()
  run('dialects', scenario_dialects)
  stop_all()
  run('missing binary', scenario_missing_binary)
  stop_all()
  run('checkhealth', scenario_health)
  stop_all()
  run('upstream', scenario_upstream)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  check('e2e harness', false, tostring(err))
end
if failed > 0 then
  dump_lsp_log()
end
out(('%d passed, %d failed'):format(passed, failed))
if failed > 0 or passed == 0 then
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end
