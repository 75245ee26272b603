-- A warm pandoc: `pandoc lua convert.lua FILTER TYPST_TEMPLATE REFERENCE_DOCX READER_FORMAT
-- PAGE_TEMPLATE PAGE_FILTER`
-- converts one job per line read on stdin until stdin closes, so that one pandoc process
-- serves a whole build. A job is a JSON object {"to": "docx" | "typst" | "html5",
-- "markdown": "...", "epoch": seconds, "variables": {...}}. HTML pages get PAGE_TEMPLATE
-- (the overview page's style) and PAGE_FILTER after FILTER. Each answer on stdout is a
-- line `ok LENGTH` or `err LENGTH` followed by exactly LENGTH bytes: the document, or
-- pandoc's error message. The last document read is kept: the formats of one document
-- come one after the other, and reading the Markdown costs as much as writing DOCX.
-- The result is the same as the command line's
--   pandoc --from=READER_FORMAT --wrap=none --lua-filter=FILTER --standalone ...
-- with SOURCE_DATE_EPOCH set to the job's epoch.
local filter, typst_template, reference_doc, reader_format, page_template, page_filter =
  table.unpack(arg)

local function compiled(path)
  local handle = assert(io.open(path, "rb"))
  local text = handle:read("a")
  handle:close()
  return pandoc.template.compile(text, path)
end

local templates = {
  typst = compiled(typst_template),
  docx = pandoc.template.compile(pandoc.template.default("openxml")),
  html5 = compiled(page_template),
}

-- A job may name a team's own filter, Typst template or reference document (avtal.toml);
-- each such Typst template is compiled once.
local own_templates = {}
local function typst_template_for(path)
  if not own_templates[path] then
    own_templates[path] = compiled(path)
  end
  return own_templates[path]
end

-- Our own filter (FILTER) is compiled once and its passes walked one after the other:
-- what `pandoc.utils.run_lua_filter` does, less reading and compiling the file for
-- every job, and less the memory each of its runs keeps (about 40 kB a document, never
-- given back). Each job runs the compiled file anew, so that its passes start with
-- nothing left from the job before and see the job's FORMAT and INLINE_MARKUP. A team's
-- own filter (a job's "filter") runs as pandoc runs any filter.
local own_filter = assert(loadfile(filter))

local function run_filter(doc, path)
  if path then
    return pandoc.utils.run_lua_filter(doc, path)
  end
  for _, pass in ipairs(own_filter()) do
    doc = doc:walk(pass)
  end
  return doc
end

local last_markdown, last_doc, last_inline_markup

local function has(markdown, text)
  return markdown:find(text, 1, true) ~= nil
end

-- Read as here (no raw HTML, raw TeX or citations, no links made of bare addresses), a
-- link, an image or a span needs a `[` or a `<` in the Markdown, or in a metadata
-- string once YAML has read its escapes (`\x5B`, `\u003C` ...). The filters are told
-- (INLINE_MARKUP) when there is none of them, so that they can leave out a walk over
-- every inline element that would find nothing (layout.lua);
-- tests/test_inline_markup.py holds the reader to it. Plain searches first: a pattern
-- tried at every place of the Markdown costs more than the rest of this script.
local function may_hold_inline_markup(markdown)
  if has(markdown, "[") or has(markdown, "<") then
    return true
  end
  local escapes = has(markdown, "\\x") or has(markdown, "\\u") or has(markdown, "\\U")
  return escapes and markdown:find("\\[xuU]0*[35][bBcC]") ~= nil
end

-- No reader or writer reads a file on behalf of the Markdown: it is read in a sandbox
-- (an empty file tree), and an image still there after a team's own filter becomes its
-- description before writing (the DOCX writer would embed the file an image names);
-- ours (FILTER) leaves none. The documents' own images come from the templates.
local no_files = {}
local no_images = { Image = function(image) return image.caption end }

local function read(markdown)
  if markdown ~= last_markdown then
    last_markdown, last_doc = nil, pandoc.read(markdown, reader_format, nil, no_files)
    last_inline_markup = may_hold_inline_markup(markdown)
    last_markdown = markdown
  end
  return last_doc:clone(), last_inline_markup -- the filters may change what they are given
end

local function convert(job)
  local doc, inline_markup = read(job.markdown)
  FORMAT = job.to
  INLINE_MARKUP = inline_markup
  doc = run_filter(doc, job.filter)
  if job.to == "html5" then
    doc = pandoc.utils.run_lua_filter(doc, page_filter)
  end
  if job.filter then
    doc = doc:walk(no_images)
  end
  local template = templates[job.to]
  if job.to == "typst" and job.template then
    template = typst_template_for(job.template)
  end
  local options = { wrap_text = "none", template = template, variables = job.variables }
  if job.to == "docx" then
    options.reference_doc = job.reference_doc or reference_doc
  end
  local environment = { SOURCE_DATE_EPOCH = string.format("%d", job.epoch) }
  return pandoc.system.with_environment(environment, function()
    return pandoc.write(doc, job.to, options)
  end)
end

local function answer(status, body)
  io.stdout:write(status, " ", tostring(#body), "\n", body)
  io.stdout:flush()
end

for line in io.stdin:lines() do
  local ok, result = pcall(function() return convert(pandoc.json.decode(line, false)) end)
  if ok then
    answer("ok", result)
  else
    answer("err", tostring(result))
  end
end
