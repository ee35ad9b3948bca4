-- Buffer settings for outreach templates (Markdown-based).
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1
vim.bo.commentstring = '<!-- %s -->'
vim.b.undo_ftplugin = 'setlocal commentstring<'
