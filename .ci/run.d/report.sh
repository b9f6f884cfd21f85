# Sourced by .ci/run: what the report and export tests need.
# Chromium renders the HTML report in the browser test; Graphviz draws the
# report's pictures (the built-in layout is the fallback); networkx reads
# the GraphML export back.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v dot >/dev/null || need+=(graphviz)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
chromium --version
python3 -c 'import networkx' 2>/dev/null || python3 -m pip install -q networkx
python3 -c 'import networkx; print("networkx", networkx.__version__)'
