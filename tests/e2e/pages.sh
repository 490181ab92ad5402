# End-to-end: a page as officers copy it from korea.kr (fixtures/korea-kr/:
# skip links, the e-government banner with its logo's alt text glued on, a
# campaign banner, section labels, controls, Prev/Next links and the bottom
# banner around the release) is archived with its headline as the title
# and the ministry of its date and department line as the organisation,
# and none of the chrome reaches data/text/release.txt, bag-info.txt or
# dc.xml. The README shows this run.
. "$TOP/tests/lib.sh"

S=$PWD/store
A() { "$ARCHIVE" --store "$S" "$@"; }
R=korea-kr-2025-04-21-quantum-cluster
cp -R "$FIXTURES/korea-kr/$R" "$R"
TITLE='양자기술 클러스터 3곳 지정, 2030년까지 연구 인프라 집중 지원'
ORG='과학기술정보통신부'

check page_exit_0 run_rc 0 A ingest "$R"
check page_archived_pass has out '^1 release: 1 archived, 0 already archived, 0 quarantined$'
check page_no_warning sh -c '! grep -q warning out'
id=$(ls "$S"/bundles/2025/ | sed -n 's/\.tar\.gz$//p')
check page_id_dated [ "${id%%_*}" = 2025-04-21 ]
A show "$id" --json >show.json 2>show.err
check page_show_title_org python3 -c "
import json, sys
j = json.loads(open('show.json').readline())
assert j['title'] == sys.argv[1], j['title']
assert j['organisation'] == sys.argv[2], j['organisation']
assert j['release']['organisation_source'] == 'text', j['release']['organisation_source']
assert j['release_date'] == '2025-04-21', j['release_date']
checks = {c['id']: c for c in j['release']['checks']}
assert checks['pdf.matches_release']['status'] == 'pass', checks['pdf.matches_release']
" "$TITLE" "$ORG"
mkdir un && tar xzf "$S/bundles/2025/$id.tar.gz" -C un
check page_bag_info_title has "un/$id/bag-info.txt" "^External-Description: $TITLE\$"
check page_bag_info_org has "un/$id/bag-info.txt" "^Source-Organization: $ORG\$"
check page_text_opens_with_title sh -c "[ \"\$(head -n 1 'un/$id/data/text/release.txt')\" = '$TITLE' ]"
# Not a line of the page's chrome is left in the text.
for line in '본문 바로가기 메인메뉴 바로가기' '전자정부 누리집 로고이 누리집은 대한민국 공식 전자정부 누리집입니다.' \
	'2025 정부 업무보고 국민과 함께하는 정책 현장 2025 정부 업무보고 국민과 함께하는 정책 현장' \
	'브리핑룸' '보도자료' '콘텐츠 영역' '글자크기 설정' '인쇄하기 목록' '이전다음기사' \
	'이전기사 인공지능 반도체 실증 사업 참여 기업 모집 2025.04.18' \
	'다음기사 국가 연구개발 예산 배분 방향 발표 2025.04.22' '하단 배너 영역'; do
	check "page_chrome_gone_$(printf %s "$line" | cksum | cut -d' ' -f1)" sh -c \
		"grep -q -x -F -- '$line' '$R/$R.txt' && ! grep -q -x -F -- '$line' 'un/$id/data/text/release.txt'"
done
check page_text_keeps_tail sh -c "grep -q '^문의: 과학기술정보통신부' 'un/$id/data/text/release.txt' &&
	grep -q '^공공누리 제1유형' 'un/$id/data/text/release.txt'"
check page_dc_title python3 -c "
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot().find('{http://purl.org/dc/elements/1.1/}title').text
assert t == sys.argv[2], t
" "un/$id/metadata/dc.xml" "$TITLE"
check page_verify_ok run_rc 0 A verify
