-- outreach-lsp: Neovim 0.11+ runtime LSP config (`:help lsp-config`).
--
-- Put this directory's parent (editors/neovim) on 'runtimepath', or copy this file to
-- ~/.config/nvim/lsp/outreach_lsp.lua, then:
--
--     vim.lsp.enable('outreach_lsp')
--
-- The `outreach` filetype itself comes from ftdetect/outreach.lua (or from
-- require('outreach_lsp').setup()).  Override any field with
-- vim.lsp.config('outreach_lsp', { ... }).
return {
  cmd = { 'outreach-lsp', 'serve' },
  -- The server also decides which Markdown files are templates (front matter with
  -- `channel` or `kind`); other Markdown files get an empty diagnostics list.
  filetypes = { 'outreach', 'markdown' },
  root_markers = { '.outreach.toml', '.git' },
  -- Read once at startup (initializationOptions), e.g.
  --   { account = 'free', rules = { ['sales-pitch'] = 'error' }, maxFileSize = 262144 }
  init_options = vim.empty_dict(),
  -- Sent with workspace/didChangeConfiguration, e.g.
  --   { outreachLsp = { rules = { ['default-invitation-text'] = 'off' } } }
  settings = vim.empty_dict(),
}
