-- Loaded from 'runtimepath' (lazy.nvim, packages, or editors/neovim added by hand): warns once when a
-- template is opened and the enabled outreach_lsp config names a server that cannot run.
if vim.g.loaded_outreach_lsp then
  return
end
vim.g.loaded_outreach_lsp = true
require('outreach_lsp').watch_for_missing_binary()
