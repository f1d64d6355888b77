-- wrk script for bench_jira_sample.sh: 100-issue pages with fields=*all.
-- JS_FLAVOR=v2: /rest/api/2/search at random startAt (Data Center offsets);
-- JS_FLAVOR=v3: /rest/api/3/search/jql first pages, one project per request (Cloud).
local total = tonumber(os.getenv("JS_TOTAL") or "100000")
local auth = os.getenv("JS_AUTH")
local flavor = os.getenv("JS_FLAVOR") or "v2"
local projects = {"DATA", "ENG", "MOB", "OPS", "SEC", "WEB"}
local n = 0

request = function()
  n = n + 1
  local path
  if flavor == "v3" then
    path = "/rest/api/3/search/jql?jql=project%3D" .. projects[(n % #projects) + 1] .. "&maxResults=100&fields=*all"
  else
    local start = math.random(0, math.floor(total / 100) - 1) * 100
    path = "/rest/api/2/search?jql=&startAt=" .. start .. "&maxResults=100&fields=*all"
  end
  return wrk.format("GET", path, {["Authorization"] = auth})
end

local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
