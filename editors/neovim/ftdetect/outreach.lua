-- Filetype detection for outreach message templates (sourced by `:filetype on`).
require('outreach_lsp').register_filetypes()
