#!/bin/sh
# fathom template against Helm v3.21.4's `helm template` goldens (cmd/helm/testdata): every case
# of ../shared/fixtures/helm-template/NOTES.md, byte for byte. The golden is Helm's
# stdout+stderr; error cases compare the whole output too, except "requires at least 1
# argument" where Fathom names itself (docs/helm-template.md).
set -u
: "${FATHOM:?}" "${FATHOM_SHARED:?}"
FIX="$FATHOM_SHARED/fixtures/helm-template"
cd "$FIX" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

# check NAME WANT_EXIT GOLDEN ARGS...
check() {
    name=$1 want_rc=$2 golden=$3
    shift 3
    n=$((n + 1))
    "$FATHOM" template "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -ne "$want_rc" ]; then
        echo "FAIL $name: exit $rc, want $want_rc"
        sed -n 1,5p "$tmp/out"
        fails=$((fails + 1))
        return
    fi
    if ! cmp -s "$tmp/out" "output/$golden"; then
        echo "FAIL $name: output differs from output/$golden"
        diff "output/$golden" "$tmp/out" | head -20
        fails=$((fails + 1))
        return
    fi
    echo "ok   $name"
}

check 1-template 0 template.txt testcharts/subchart
check 2-set 0 template-set.txt testcharts/subchart --set service.name=apache
check 3-values-files 0 template-values-files.txt testcharts/subchart \
    --values testcharts/subchart/charts/subchartA/values.yaml
check 4-name-template 0 template-name-template.txt testcharts/subchart \
    '--name-template=foobar-{{ b64enc "abc" | lower }}-baz'
check 6-lib-chart 2 template-lib-chart.txt testcharts/lib-chart
check 7-chart-bad-type 2 template-chart-bad-type.txt testcharts/chart-bad-type
check 8-lib-dep 0 template-chart-with-template-lib-dep.txt testcharts/chart-with-template-lib-dep
check 9-lib-archive-dep 0 template-chart-with-template-lib-archive-dep.txt \
    testcharts/chart-with-template-lib-archive-dep
check 10-kube-version 0 template-with-kube-version.txt --kube-version 1.16.0 testcharts/subchart
check 11-api-versions 0 template-with-api-version.txt --api-versions helm.k8s.io/test \
    testcharts/subchart
check 12-include-crds 0 template-with-crds.txt testcharts/subchart --include-crds
check 13-show-only-one 0 template-show-only-one.txt testcharts/subchart \
    --show-only templates/service.yaml
check 14-show-only-multiple 0 template-show-only-multiple.txt testcharts/subchart \
    --show-only templates/service.yaml --show-only charts/subcharta/templates/service.yaml
for i in 1 2 3; do
    check "15-show-only-glob#$i" 0 template-show-only-glob.txt testcharts/subchart \
        --show-only 'templates/subdir/role*'
    check "16-object-order#$i" 0 object-order.txt testcharts/object-order
done
check 17-invalid-yaml 2 template-with-invalid-yaml.txt \
    testcharts/chart-with-template-with-invalid-yaml
check 18-invalid-yaml-debug 2 template-with-invalid-yaml-debug.txt \
    testcharts/chart-with-template-with-invalid-yaml --debug
check 19-skip-tests 0 template-skip-tests.txt testcharts/subchart --skip-tests
check 20-issue-9027 0 issue-9027.txt testcharts/issue-9027
check 21-subchart-cm 0 template-subchart-cm.txt testcharts/subchart \
    --set configmap.enabled=true --set subchartb.enabled=true
check 22-subchart-cm-set 0 template-subchart-cm-set.txt testcharts/subchart \
    --set configmap.enabled=true --set subchartb.enabled=true --set configmap.value=baz
check 23-subchart-cm-set-file 0 template-subchart-cm-set-file.txt testcharts/subchart \
    -f testcharts/subchart/extra_values.yaml

# 5: no arguments: Helm's error line with Fathom's name
n=$((n + 1))
"$FATHOM" template >"$tmp/out" 2>&1
rc=$?
want=$(sed -n 1p output/template-no-args.txt | sed 's/"helm template"/"fathom template"/')
got=$(sed -n 1p "$tmp/out")
if [ "$rc" -eq 2 ] && [ "$got" = "$want" ]; then
    echo "ok   5-no-args"
else
    echo "FAIL 5-no-args: exit $rc, '$got', want '$want'"
    fails=$((fails + 1))
fi

# --show-only with no match: Helm's error
n=$((n + 1))
"$FATHOM" template testcharts/subchart --show-only templates/nope.yaml >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && [ "$(cat "$tmp/out")" = "Error: could not find template templates/nope.yaml in chart" ]; then
    echo "ok   show-only-missing"
else
    echo "FAIL show-only-missing: exit $rc: $(cat "$tmp/out")"
    fails=$((fails + 1))
fi

echo "$((n - fails))/$n passed"
[ "$fails" -eq 0 ]
