/*
 * Policybook: Material for MkDocs' search worker, answered by Pagefind.
 *
 * Material's search box talks to a web worker through four messages
 * (SETUP, READY, QUERY, RESULT) and lets a site supply its own worker. This
 * one loads Pagefind's prebuilt, chunked index instead of building a Lunr
 * index in the browser, so the first query of a big handbook fetches a few
 * small files instead of indexing every clause first. Material still renders
 * the results: the same search box, result list and highlighting.
 *
 * Result text is inserted into the page as HTML by Material, so everything
 * but Pagefind's <mark> highlights is escaped here.
 */
"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const MAX_PAGES = 10  // pages per answer (Material shows ten at first); each costs one small fetch

let pagefind = null
let latest = 0
let queue = Promise.resolve()

// One message at a time, and of the queries only the newest is answered:
// Material shows the last result it is sent, and searches for words half
// typed would only hold up the one the reader finishes.
addEventListener("message", event => {
  const message = event.data
  const seq = message.type === QUERY ? ++latest : latest
  queue = queue
    .then(() => handle(message, seq))
    .then(reply => { if (reply) postMessage(reply) })
    .catch(error => {
      console.warn("Policybook search:", error)
      if (message.type === QUERY && seq === latest) postMessage({ type: RESULT, data: { items: [] } })
    })
})

async function handle(message, seq) {
  switch (message.type) {
    case SETUP:
      // The worker lives in assets/policybook/; the index is at the site root.
      pagefind = await import(new URL("../../pagefind/pagefind.js", self.location.href).href)
      await pagefind.options({ excerptLength: 24 })
      await pagefind.init()
      return { type: READY }
    case QUERY: {
      const items = await search(message.data, seq)
      return items && { type: RESULT, data: { items } }
    }
    default:
      return null
  }
}

async function search(query, seq) {
  const text = String(query || "").trim()
  if (seq !== latest) return null
  if (!text || !pagefind) return []
  // One letter matches most words of a handbook: Pagefind would fetch much of
  // its index to answer, holding up the query the reader is still typing.
  if (text.length < 2) return []
  const found = await pagefind.search(text)
  if (seq !== latest) return null
  const pages = await Promise.all(found.results.slice(0, MAX_PAGES).map(result => result.data()))
  if (seq !== latest) return null
  const words = text.toLowerCase().split(/\s+/).filter(Boolean)
  const terms = Object.fromEntries(words.map(word => [word, true]))
  return pages.map(page => group(page, words, terms))
}

// One result item per page: the page itself, then its clauses and sections
// (Pagefind's sub-results, one per heading with an id), best first.
function group(page, words, terms) {
  const location = relative(page.url)
  const sections = (page.sub_results || [])
    .filter(sub => relative(sub.url) !== location)
    .map(sub => ({
      location: relative(sub.url),
      title: safe(sub.title),
      text: safe(sub.excerpt),
      score: score(sub, words),
      terms
    }))
    .sort((a, b) => b.score - a.score)
  const article = {
    location,
    title: safe((page.meta && page.meta.title) || location),
    text: safe(page.excerpt),
    score: sections.length ? sections[0].score : 1,
    terms
  }
  return [article, ...sections]
}

// A clause that matches every word of the query comes before one that
// matches some of them many times (a section title, say): first by how many
// query words its excerpt marks, then by Pagefind's own weights.
function score(sub, words) {
  const marked = [...String(sub.excerpt || "").matchAll(/<mark>(.*?)<\/mark>/g)]
    .map(match => match[1].toLowerCase())
  const covered = words.filter(word => marked.some(hit => hit.startsWith(word) || word.startsWith(hit.replace(/\W+$/, "")))).length
  const weight = (sub.weighted_locations || []).reduce((sum, hit) => sum + (hit.balanced_score || hit.weight || 0), 0)
  return covered * 100 + Math.log1p(weight)
}

// Pagefind's URLs start at the site root ("/policies/x.html"); Material
// resolves result locations against the site's base, wherever it is served.
function relative(url) {
  return String(url || "").replace(/^\/+/, "")
}

const ENTITIES = { lt: "<", gt: ">", amp: "&", quot: "\"", "#39": "'", "#x27": "'" }
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }

function safe(html) {
  return String(html || "")
    .split(/(<\/?mark>)/)
    .map(part => /^<\/?mark>$/.test(part)
      ? part
      : part.replace(/&(lt|gt|amp|quot|#39|#x27);/g, (_, name) => ENTITIES[name])
            .replace(/[&<>"']/g, ch => ESCAPES[ch]))
    .join("")
}
