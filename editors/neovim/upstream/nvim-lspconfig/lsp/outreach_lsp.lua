---@brief
---
--- https://github.com/outreach-lsp/outreach-lsp
---
--- A language server that lints outreach message templates (LinkedIn connection notes, follow-ups,
--- InMails, cold emails): unknown or broken placeholders, text sent as-is ("[First Name]"), notes over
--- the channel's length limit, generic or pushy wording. Quick fixes, a "fix all" source action,
--- hover, completion of placeholders and filters, and inlay hints with each message's length.
---
--- Install the server with `cargo install --git https://github.com/outreach-lsp/outreach-lsp` or
--- `:MasonInstall outreach-lsp`.
---
--- Templates are `*.outreach.md` files (filetype `outreach`, which this config does not register: add
--- `vim.filetype.add({ pattern = { ['.*%.outreach%.md'] = 'outreach' } })`) and Markdown files whose front
--- matter names a `channel` or `kind`; the server ignores other Markdown files.
---
--- Settings (`init_options`, or `settings.outreachLsp` for changes at run time):
--- ```lua
--- vim.lsp.config('outreach_lsp', {
---   init_options = { account = 'premium', rules = { ['self-focused'] = 'off' } },
--- })
--- ```

---@type vim.lsp.Config
return {
  cmd = { 'outreach-lsp', 'serve' },
  filetypes = { 'outreach', 'markdown' },
  root_markers = { '.outreach.toml', '.git' },
}
