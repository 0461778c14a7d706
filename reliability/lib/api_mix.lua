-- wrk script for the API load rows (reliability/suites/api_load.ts): the same realistic
-- /api/v1 mix as the fetch generator, with think time, one bearer token per user.
-- Usage: wrk -t2 -cUSERS -dSECONDS --timeout 10s -s api_mix.lua URL -- USERS_FILE THINK_MS ROOM_BASE
-- USERS_FILE is a Lua chunk returning { { token = "...", ext = { id, ... } }, ... }.
-- Each thread owns a slice of the users and serves them round robin, so every user sends
-- about the same number of requests (the API budget is per user, like real users).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local users = dofile(args[1])
  think_ms = tonumber(args[2])
  local room_base = tonumber(args[3])
  local thread_count = tonumber(args[4])
  mine = {}
  for i, user in ipairs(users) do
    if (i - 1) % thread_count == index then table.insert(mine, user) end
  end
  next_room = room_base + index * 50000
  statuses = {}
  math.randomseed(os.time() + index * 7919)
end

function delay()
  return math.floor(think_ms * (0.5 + math.random()))
end

function request()
  counter = counter + 1
  local user = mine[(counter % #mine) + 1]
  local r = math.random()
  local ext = user.ext[(math.floor(r * 1000) % #user.ext) + 1]
  local headers = {
    ["Authorization"] = "Bearer " .. user.token,
    ["Accept"] = "application/json",
  }
  local method, path, body = "GET", nil, nil
  if r < 0.3 then path = "/api/v1/extensions?perPage=25"
  elseif r < 0.45 then path = "/api/v1/call-logs?perPage=25"
  elseif r < 0.55 then path = "/api/v1/ring-groups"
  elseif r < 0.65 then path = "/api/v1/extensions/" .. ext
  elseif r < 0.75 then path = "/api/v1/users?perPage=25"
  elseif r < 0.8 then path = "/api/v1/auth/me"
  elseif r < 0.9 then
    method, path = "PATCH", "/api/v1/extensions/" .. ext
    body = string.format('{"name":"Phone %d"}', math.floor(r * 1e6))
  else
    next_room = next_room + 1
    method, path = "POST", "/api/v1/conference-rooms"
    body = string.format('{"number":"%d","name":"Room %d"}', next_room, next_room)
  end
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

-- One JSON line the suite parses: latency percentiles (ms), statuses, socket errors.
function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do table.insert(parts, string.format('"%d":%d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f,' ..
    '"statuses":{%s},"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}}\n',
    summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ","), e.connect, e.read, e.write, e.timeout, e.status))
end
