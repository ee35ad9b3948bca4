" Vim syntax file
" Language: outreach message template (Markdown with {{ placeholders }})
if exists('b:current_syntax')
  finish
endif

runtime! syntax/markdown.vim
unlet! b:current_syntax

" {{ first_name }}, {{ company | upper }}, {{ first_name | default: "there" }}
syntax region outreachPlaceholder matchgroup=outreachDelimiter start=/{{/ end=/}}/ oneline keepend
      \ contains=outreachFilterSep,outreachString containedin=ALLBUT,outreachPlaceholder,outreachString,outreachFilterSep
syntax match outreachFilterSep /|/ contained
syntax region outreachString start=/"/ end=/"/ contained oneline
syntax region outreachString start=/'/ end=/'/ contained oneline

highlight default link outreachDelimiter Delimiter
highlight default link outreachPlaceholder Identifier
highlight default link outreachFilterSep Operator
highlight default link outreachString String

let b:current_syntax = 'outreach'
