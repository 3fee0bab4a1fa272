-- wrk script: POST the same valid submission with a distinct Idempotency-Key per request.
-- Usage: wrk ... -s bench/submit.lua URL -- RUN_ID ORIGIN BODY
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  run_id = args[1] or tostring(os.time())
  origin = args[2] or "https://shop.example"
  body = args[3] or '{"survey":"nps","answers":{"score":9}}'
  counter = 0
end

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Origin"] = origin,
    ["Idempotency-Key"] = run_id .. "-" .. thread_id .. "-" .. counter,
  }
  return wrk.format("POST", nil, headers, body)
end
