--- :checkhealth outreach_lsp
local M = {}

function M.check()
  local health = vim.health
  local plugin = require('outreach_lsp')

  health.start('Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()) .. ' (0.11+ has vim.lsp.config / vim.lsp.enable)')
  else
    health.error('Neovim 0.11 or later is needed', { 'Upgrade Neovim, or use nvim-lspconfig on older versions' })
  end

  health.start('Configuration')
  local cfg = vim.lsp.config[plugin.name]
  if cfg then
    health.ok('vim.lsp.config.outreach_lsp is defined: cmd = ' .. vim.inspect(cfg.cmd))
  else
    health.error('no outreach_lsp config', {
      "require('outreach_lsp').setup(), or put editors/neovim on 'runtimepath' and vim.lsp.enable('outreach_lsp')",
    })
  end
  if vim.lsp.is_enabled(plugin.name) then
    health.ok('outreach_lsp is enabled')
  else
    health.warn('outreach_lsp is not enabled', { "vim.lsp.enable('outreach_lsp') or require('outreach_lsp').setup()" })
  end
  local ft = vim.filetype.match({ filename = 'example.outreach.md' })
  if ft == 'outreach' then
    health.ok('*.outreach.md files get the outreach filetype')
  else
    health.warn('*.outreach.md files get filetype ' .. tostring(ft), {
      "require('outreach_lsp').setup() (or ftdetect/outreach.lua on 'runtimepath') registers it",
    })
  end

  health.start('Server')
  local bin = plugin.configured_binary()
  if not bin then
    health.info('cmd is a function: not checked')
  elseif vim.fn.executable(bin) ~= 1 then
    health.error(("'%s' is not found or not executable"):format(bin), {
      'cargo install --path . in the outreach-lsp repository (puts outreach-lsp on PATH)',
      ':MasonInstall outreach-lsp (with the Mason registry entry)',
      "require('outreach_lsp').setup({ path = '/path/to/outreach-lsp' })",
    })
  else
    local res = vim.system({ bin, '--version' }, { text = true }):wait(5000)
    if res.code == 0 then
      health.ok(vim.trim(res.stdout or '') .. ' (' .. vim.fn.exepath(bin) .. ')')
    else
      health.error(("'%s --version' failed (exit %s): %s"):format(bin, tostring(res.code), vim.trim(res.stderr or '')))
    end
  end
  local clients = vim.lsp.get_clients({ name = plugin.name })
  if #clients > 0 then
    for _, c in ipairs(clients) do
      local info = c.server_info or {}
      health.ok(('client %d running: %s %s, root %s, %d buffer(s)'):format(
        c.id,
        info.name or '?',
        info.version or '?',
        tostring(c.root_dir),
        vim.tbl_count(c.attached_buffers or {})
      ))
    end
  else
    health.info('no outreach_lsp client is running (one starts when a template is opened)')
  end

  health.start('Optional')
  if vim.lsp.inlay_hint and vim.lsp.inlay_hint.is_enabled({}) then
    health.ok('inlay hints are on (rendered length per message)')
  else
    health.info('inlay hints are off: vim.lsp.inlay_hint.enable(true) shows each message\'s rendered length')
  end
end

return M
