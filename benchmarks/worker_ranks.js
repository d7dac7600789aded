// Posts questions straight to a built site's Policybook search worker in node
// (the same script and search_index.json the search box uses) and prints, for
// each question, the worker's result groups as Material receives them:
// one group per page, [location, score] for each entry, the page's top first.
//
//   node benchmarks/worker_ranks.js SITE [--matched] < questions.json > groups.json
//
// questions.json is a JSON list of strings. With --matched each entry also says how
// many of the question's words it matched. Used through benchmarks/worker_results.py,
// which applies Material's folding ("N more on this page") to the groups.
"use strict"
const fs = require("fs")
const path = require("path")
const vm = require("vm")

const site = process.argv[2]
const matched = process.argv.includes("--matched")
const script = fs.readFileSync(path.join(site, "assets/policybook/search-worker.js"), "utf8")
const index = JSON.parse(fs.readFileSync(path.join(site, "search/search_index.json"), "utf8"))
const questions = JSON.parse(fs.readFileSync(0, "utf8"))

let listener = null, answer = null
const context = {
  addEventListener: (type, fn) => { if (type === "message") listener = fn },
  postMessage: message => { answer = message },
  console,
}
context.self = context
vm.createContext(context)
vm.runInContext(script, context)
listener({ data: { type: 0, data: index } })
if (!answer || answer.type !== 1) throw new Error("worker did not answer READY")
const out = []
for (const question of questions) {
  answer = null
  listener({ data: { type: 2, data: question } })
  const items = answer && answer.data ? answer.data.items : []
  out.push(items.map(group => group.map(doc => matched
    ? [doc.location, doc.score, Object.values(doc.terms || {}).filter(Boolean).length]
    : [doc.location, doc.score])))
}
process.stdout.write(JSON.stringify(out))
