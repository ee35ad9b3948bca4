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

return M
