--- outreach-lsp integration for Neovim 0.11+.
---
---   require('outreach_lsp').setup({
---     cmd = { '/path/to/outreach-lsp', 'serve' },   -- default: { 'outreach-lsp', 'serve' } from $PATH
---     init_options = { account = 'free', rules = { ['sales-pitch'] = 'error' } },
---     settings = { outreachLsp = { rules = { ['default-invitation-text'] = 'off' } } },
---   })
---
--- setup() registers the `outreach` filetype (*.outreach.md, *.outreach, *.outreach.txt),
--- defines the `outreach_lsp` config with vim.lsp.config() and enables it with vim.lsp.enable().
--- When the server binary is missing, opening a template shows one warning (vim.notify);
--- `:checkhealth outreach_lsp` says what is set up and what is not.
local M = {}

M.name = 'outreach_lsp'

--- Defaults: the config in lsp/outreach_lsp.lua (its runtimepath form, which `vim.lsp.enable` reads
--- on its own), loaded from the runtimepath so the two can never drift apart.
function M.default_config()
  local file = vim.api.nvim_get_runtime_file('lsp/outreach_lsp.lua', false)[1]
  if not file then
    error('outreach_lsp: lsp/outreach_lsp.lua is not on the runtimepath; add editors/neovim to it')
  end
  return dofile(file)
end

local filetypes_registered = false

--- Map the template extensions to the `outreach` filetype. Safe to call more than once.
function M.register_filetypes()
  if filetypes_registered then
    return
  end
  filetypes_registered = true
  vim.filetype.add({
    extension = {
      outreach = 'outreach',
    },
    pattern = {
      -- Patterns are anchored and matched against the file name; these beat the
      -- plain `md` / `txt` extension rules.
      ['.*%.outreach%.md'] = 'outreach',
      ['.*%.outreach%.txt'] = 'outreach',
    },
  })
end

local function validate(opts)
  vim.validate('opts', opts, 'table')
  vim.validate('opts.cmd', opts.cmd, { 'table', 'function' }, true)
  vim.validate('opts.path', opts.path, 'string', true)
  vim.validate('opts.init_options', opts.init_options, 'table', true)
  vim.validate('opts.settings', opts.settings, 'table', true)
  vim.validate('opts.filetypes', opts.filetypes, 'table', true)
  vim.validate('opts.root_markers', opts.root_markers, 'table', true)
  vim.validate('opts.autostart', opts.autostart, 'boolean', true)
end

--- Build the vim.lsp.Config that setup() registers.
--- @param opts? table
--- @return vim.lsp.Config
function M.make_config(opts)
  opts = opts or {}
  validate(opts)
  local cfg = M.default_config()
  if opts.path then
    cfg.cmd = { opts.path, 'serve' }
  end
  -- Everything else that vim.lsp.Config accepts (on_attach, capabilities, cmd_env, ...)
  -- passes through unchanged.
  for k, v in pairs(opts) do
    if k ~= 'path' and k ~= 'autostart' then
      cfg[k] = v
    end
  end
  return cfg
end

--- Register filetypes, define the `outreach_lsp` LSP config and enable it.
--- Calling setup() again replaces the previous configuration (running clients keep theirs
--- until restarted: `:lua vim.lsp.enable('outreach_lsp', false); vim.lsp.enable('outreach_lsp')`).
--- @param opts? table  vim.lsp.Config fields plus `path` (server binary) and `autostart` (default true)
function M.setup(opts)
  opts = opts or {}
  M.register_filetypes()
  -- Assign (not merge) so a second setup() does not inherit options from the first one;
  -- lsp/outreach_lsp.lua on 'runtimepath', if any, still sits underneath as defaults.
  vim.lsp.config[M.name] = M.make_config(opts)
  if opts.autostart ~= false then
    vim.lsp.enable(M.name)
  end
  M.watch_for_missing_binary()
end

--- The FileType autocmd behind the missing-binary warning (plugin/outreach_lsp.lua sets it up too,
--- for configs made with vim.lsp.config alone).
function M.watch_for_missing_binary()
  local group = vim.api.nvim_create_augroup('outreach_lsp_missing_binary', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'outreach', 'markdown' },
    callback = function(ev)
      M.warn_if_missing(ev.buf)
    end,
  })
end

--- Send new settings to the running server(s) with workspace/didChangeConfiguration,
--- e.g. update_settings({ rules = { ['default-invitation-text'] = 'off' } }).
--- The table is sent as `settings.outreachLsp` and remembered for workspace/configuration.
--- @param outreach_settings table
function M.update_settings(outreach_settings)
  vim.validate('outreach_settings', outreach_settings, 'table')
  local clients = vim.lsp.get_clients({ name = M.name })
  for _, client in ipairs(clients) do
    client.settings = vim.tbl_deep_extend('force', client.settings or {}, { outreachLsp = outreach_settings })
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  end
  return #clients
end

--- True when the buffer is an outreach template: the `outreach` filetype, or Markdown whose front
--- matter names a `channel` or `kind` (the server's own test).
--- @param bufnr integer
function M.is_template(bufnr)
  local ft = vim.bo[bufnr].filetype
  if ft == 'outreach' then
    return true
  end
  if ft ~= 'markdown' then
    return false
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, 60, false)
  if (lines[1] or ''):gsub('^\239\187\191', '') ~= '---' then
    return false
  end
  for i = 2, #lines do
    if lines[i] == '---' then
      return false
    end
    if lines[i]:match('^channel%s*:') or lines[i]:match('^kind%s*:') then
      return true
    end
  end
  return false
end

--- The server command of the `outreach_lsp` config (nil when it is a function).
function M.configured_binary()
  local cfg = vim.lsp.config[M.name]
  local cmd = cfg and cfg.cmd
  if type(cmd) == 'table' then
    return cmd[1]
  end
end

M._warned_missing = false

--- Warns once per session (vim.notify) when a template is opened and the server binary cannot be run:
--- otherwise a missing binary only shows up in the LSP log.
--- @param bufnr integer
--- @return boolean warned  true when this call warned
function M.warn_if_missing(bufnr)
  if M._warned_missing or not vim.lsp.is_enabled(M.name) or not M.is_template(bufnr) then
    return false
  end
  local bin = M.configured_binary()
  if not bin or vim.fn.executable(bin) == 1 then
    return false
  end
  M._warned_missing = true
  vim.notify(
    ("outreach-lsp: the server '%s' was not found or is not executable, so templates are not checked. "
      .. "Install it (cargo install --path . in the outreach-lsp repository, or :MasonInstall outreach-lsp), "
      .. "or give its path: require('outreach_lsp').setup({ path = '/path/to/outreach-lsp' }). "
      .. 'See :checkhealth outreach_lsp'):format(bin),
    vim.log.levels.WARN,
    { title = 'outreach-lsp' }
  )
  return true
end

--- Applies every safe fix of the buffer in one edit (the server's `source.fixAll.outreach` action),
--- synchronously, so it can run in BufWritePre:
---   vim.api.nvim_create_autocmd('BufWritePre', { pattern = '*.outreach.md',
---     callback = function(ev) require('outreach_lsp').fix_all(ev.buf) end })
--- @param bufnr? integer
--- @param timeout_ms? integer (default 1000)
--- @return boolean applied
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = M.name })[1]
  if not client then
    return false
  end
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
    context = { diagnostics = {}, only = { 'source.fixAll' }, triggerKind = 1 },
  }
  local resp = client:request_sync('textDocument/codeAction', params, timeout_ms or 1000, bufnr)
  local actions = resp and resp.result or {}
  for _, action in ipairs(actions) do
    if action.edit and action.kind and vim.startswith(action.kind, 'source.fixAll') then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      return true
    end
  end
  return false
end

return M
