package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Name parts. Every name the generator makes is a generic combination of
// these; none stands for a real place.
var (
	surnames      = strings.Split("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎常武乔贺龚文", "")
	villagePrefix = []string{"", "", "", "", "", "前", "后", "东", "西", "南", "北", "大", "小", "新"}
	villageSuffix = []string{"庄", "村", "屯", "集", "楼", "寨", "营", "店", "洼", "堤", "口", "桥", "园", "坊", "家庄", "家楼", "家寨", "官屯", "固", "堂", "湾", "坡", "铺", "海"}
	townSuffix    = []string{"集", "庄", "店", "楼", "寨", "营", "屯", "桥", "堂", "固", "口", "铺", "湖", "河", "家"}
	placeWords    = strings.Fields("东城 西城 南城 北城 新华 振兴 建设 胜利 文化 育新 崇文 新城 滨河 兴华 长江 黄河 顺河 站前 开元 和平 光明 幸福 民主 人民 解放 朝阳 向阳 阳光 花园 锦绣 明珠 东湖 西湖 南湖 北湖 运河 金水 银河 玉泉 宝塔 文昌 凤鸣 龙山 虎山 春晖 秋实 润泽 嘉禾 安居 丰收 团结 前进 红星 五星 和谐 富民 兴业 永安 长安 平安 康宁 瑞祥")
	communityTail = []string{"", "", "里", "园", "苑", "家园", "新村", "花园"}
	kinderBrands  = strings.Fields("小太阳 启智 金色童年 阳光宝贝 蓝天 博雅 育英 童心 彩虹 小博士 爱心 星光 快乐 春苗 新苗 小天鹅 贝贝 乐乐 七色花 向日葵 小白鸽 智慧树 红缨 蒙特梭利 海燕 金钥匙")
	prefHead      = strings.Split("鲁齐泰沂岱蒙胶潍滨琅莱汶淄峄岚澜嵩荷", "")
	prefTail      = strings.Split("州阳川原城海山平宁安", "")
	countyWords   = strings.Fields("东 西 南 北 中 河东 河西 山阳 临河 清源 平原 丰乐 安丘 高平 长乐 永宁 新泰 广饶 利津 宁阳 东平 兴隆 白马 金乡 青山 汇川 蒙阴 平邑 郯城 沂源 武城 夏津 乐陵 庆云 邹平 博兴 桓台 昌乐 临朐 寿光 高青 莒南 费城 苍山 梁山 鱼台 嘉祥 单城 曹城 巨野 郓城 鄄城 东明")
)

// namer hands out names that are unique within its scope.
type namer struct {
	used map[string]bool
}

func newNamer() *namer { return &namer{used: map[string]bool{}} }

// take returns the first of up to 40 drawn candidates not yet used, or the
// last candidate with a number appended.
func (n *namer) take(draw func() string) string {
	var s string
	for range 40 {
		s = draw()
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
	base := s
	for k := 2; ; k++ {
		s = base + strconv.Itoa(k)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

func pick[T any](r *rand.Rand, v []T) T { return v[r.IntN(len(v))] }

// villageName returns a name such as 前王庄村.
func (n *namer) villageName(r *rand.Rand) string {
	return n.take(func() string {
		return pick(r, villagePrefix) + pick(r, surnames) + pick(r, villageSuffix) + "村"
	})
}

// townName returns a name such as 张集镇.
func (n *namer) townName(r *rand.Rand) string {
	return n.take(func() string { return pick(r, surnames) + pick(r, townSuffix) + "镇" })
}

// streetName returns a name such as 新华街道.
func (n *namer) streetName(r *rand.Rand) string {
	return n.take(func() string { return pick(r, placeWords) + "街道" })
}

// communityName returns a name such as 幸福里社区.
func (n *namer) communityName(r *rand.Rand) string {
	return n.take(func() string { return pick(r, placeWords) + pick(r, communityTail) + "社区" })
}

// kinderBrand returns a private kindergarten's brand such as 启智.
func (n *namer) kinderBrand(r *rand.Rand) string {
	return n.take(func() string { return pick(r, kinderBrands) })
}

// stem strips the administrative suffix from a place name: 王庄村 → 王庄,
// 张集镇 → 张集, 新华街道 → 新华, 幸福里社区 → 幸福里.
func stem(name string) string {
	for _, suf := range []string{"街道", "社区", "村", "镇", "乡"} {
		if s, ok := strings.CutSuffix(name, suf); ok && s != "" {
			return s
		}
	}
	return name
}

// chineseNumber writes 1–99 in Chinese numerals: 1 → 一, 12 → 十二, 23 → 二十三.
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		if n == 10 {
			return "十"
		}
		return "十" + digits[n-10]
	case n < 100:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	return strconv.Itoa(n)
}
