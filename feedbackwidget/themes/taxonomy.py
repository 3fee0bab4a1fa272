"""The built-in shop taxonomy: ten themes with names and seeds in English, Hungarian, Chinese.

What each theme covers (labellers of the test sets use the same definitions):

- ``delivery``: getting the order to the customer (speed, late, courier, tracking, parcel
  locker, pickup, shipping options);
- ``price``: prices, value for money, discounts, coupons, shipping cost;
- ``quality``: the product itself (defects, broken or not working, freshness, size and fit,
  not as described);
- ``stock``: availability (out of stock, sold out, missing sizes, could not find what they
  needed, restock);
- ``staff``: people and customer service (friendly or rude staff, support answering or not,
  help by phone, e-mail or chat);
- ``website``: the site's or app's usability (search, navigation, checkout screens, bugs,
  slow pages, login, product information and photos);
- ``payment``: paying (methods, card declined, payment errors, invoices, cash on delivery,
  charged twice);
- ``returns``: returns, refunds, exchanges, the warranty process;
- ``packaging``: the box, wrapping, a damaged or crushed parcel, too much plastic;
- ``loyalty``: the loyalty programme, points, membership card, rewards, member prices, tiers.

Seeds are general shop vocabulary, matched on lemmas (see :class:`.model.Theme` for the
syntax); a site adds its own words with :class:`.site.SiteTaxonomy`.
"""

from __future__ import annotations

from .model import Taxonomy, Theme


def _words(text: str) -> tuple[str, ...]:
    """Seeds written one per line or separated by ``|``."""
    return tuple(seed.strip() for line in text.strip().splitlines() for seed in line.split("|") if seed.strip())


DELIVERY = Theme(
    "delivery",
    {"en": "Delivery", "hu": "Szállítás", "zh": "物流配送"},
    {
        "en": _words("""
            delivery | deliver | delivered | redeliver* | shipping | shipped | shipment | dispatch* | courier*
            driver | postman | post office | tracking | track my | in transit | parcel | parcel locker | locker
            pickup | pick up | pick-up | collection point | click and collect | collect from | collected from
            arrive | arrival | came ... fast | came ... quick* | came ... early | came ... late
            express | next day | same day | on time | =late | delay* | lost ... parcel | where is my order
            late delivery | slow delivery | fast delivery | fast shipping | quick delivery
            fast | speedy | dpd | dhl | gls | =ups | fedex | royal mail | hermes | evri | inpost
        """),
        "hu": _words("""
            szállít* | kiszállít* | házhoz* | futár* | csomagautomat* | automatá* | foxpost | posta* | gls | dpd
            mpl | pick pack* | pickpack* | packeta | átvét* | átvev* | átvehet* | megérkez* | érkez* | beérkez* | megjött | kézbesít* | nyomon követ*
            nyomkövet* | késik | késés* | késve | későn | gyors szállítás* | gyorsan megjött | gyorsan megérkez* | =időben
            nem jött meg | nem érkez* | kiszállítás | házhozszállítás | gyorsan =jött | gyorsan =jott
        """),
        "zh": _words("""
            快递 | 物流 | 发货 | 配送 | 送货 | 到货 | 送到 | 快递员 | 快递小哥 | 派送 | 签收 | 自提 | 取件 | 快递柜
            丰巢 | 驿站 | 顺丰 | 中通 | 圆通 | 韵达 | 邮政 | 运输 | 单号 | 追踪 | 跟踪 | 准时 | 延迟 | 延误 | 送错
            上门 | 次日达 | 当天到 | 包裹 | 还没到货 | 才到货 | 没收到 | 还没收到 | 才收到 | 天才到 | 天就到 | 就到了 | 收货
            送达 | 配送员 | 司机 | 在路上 | 送来 | 晚了 | 收货地址 | 改地址 | 地址 | 才发 | 补发 | 少发 | 漏发 | 发错
        """),
    },
)

PRICE = Theme(
    "price",
    {"en": "Price", "hu": "Ár", "zh": "价格"},
    {
        "en": _words("""
            price | prices | pricey | pricy | expensive | cheap | cheaper | cheapest | affordable | overpriced
            value for money | good value | great value | worth the money | worth it | cost | costs | costly | shipping cost | delivery fee
            shipping fee | return shipping | pay for ... shipping | fee | discount* | coupon* | promo | promo code | promotion | sale | deal | deals
            bargain | rip off | ripoff | free shipping | free delivery | reasonable | inexpensive | offer*
        """),
        "hu": _words("""
            ár | ára | árak | áras* | drága | drágá* | drágul* | olcsó | olcsó* | kedvezmény* | akció* | kupon*
            leáraz* | ár-érték* | ár érték* | ártáblá* | díj | díja | szállítási díj* | szállítási költség* | postaköltség*
            ingyenes szállítás* | szállítási határ* | fizetni ... kellett | megéri
            megérte | ér meg | pénz ... megér* | túláraz* | áremel* | zsebbarát | kedvező ár*
        """),
        "zh": _words("""
            价格 | 价钱 | 便宜 | 太贵 | 很贵 | 好贵 | 有点贵 | 偏贵 | 贵了 | 划算 | 性价比 | 优惠 | 优惠券 | 折扣 | 打折 | 促销
            满减 | 运费 | 包邮 | 降价 | 涨价 | 价位 | 实惠 | 红包 | 差价 | 价格贵 | 不值 | 值这个价 | 还贵 | 更贵 | 白花 | 挺贵 | 真贵 | 会员价 | 普通价 | 原价
            用券 | 领券 | 新人券 | 满减券 | 券用不了 | 券不能用 | 优惠码 | 不贵
        """),
    },
)

QUALITY = Theme(
    "quality",
    {"en": "Product quality", "hu": "Termékminőség", "zh": "商品质量"},
    {
        "en": _words("""
            quality | broken | broke | defect* | faulty | damaged | stop working | stopped working | not turn on
            smashed | shattered | in pieces | out of the box | soggy
            fresh | freshness | stale | mouldy | moldy | mould | mold | rotten | expire | expired | ripe
            fit | fits | fitting | too small | too big | too large | too tight
            run small | run big | run large | size up | size down | as described | not as described
            like the picture | like the photo* | as in the photo* | as pictured | wrong colour | wrong color
            wrong size | fabric | material | leather | cotton | stitching | seam | zip | zipper | scratch*
            stain* | crack* | dead pixel* | leak* | smell* | taste* | tasty | delicious | comfortable | soft
            durable | flimsy | cheaply made | wobble* | good product* | great product* | nice product* | product as described
            pilled | faded | shrunk | ripped | missing parts | screws | rash | dried out | waterproof | works great
            works well | works fine | doesnt charge | not charge | dead on arrival
        """),
        "hu": _words("""
            minőség* | hibás* | törött | eltört | összetört | elromlott | tönkrement* | romlott | rossz állapot*
            penész* | lejárt | lejárati | szavatosság* | friss | frisse* | frissesség* | =frissek | =frissen | méretezés* | összement | fonnyadt | rohadt
            megolvadt | kiütés* | szűk | bő | passzol | kényelmes* | mint a kép* | mint a fotó* | mint a leírás*
            leírás szerint | kép* ... más* | más* ... kép* | anyag* | karcos | karcol* | foltos | folt
            kopott | finom | íz | ízű | íze | ízletes | szag* | büdös | szakad* | repedt | repedés
            tartós | vacak | silány | gyenge | nem kapcsol* be | hibátlan | jó termék* | nyomdahib* | nem illeszked*
            kicsorbul* | csorba | szivárog* | recseg* | nem tölt | rossz méret* | mérete ... kicsi | mérete ... nagy
            méret* nem volt jó | méret* nem jó
        """),
        "zh": _words("""
            质量 | 品质 | 做工 | 坏了 | 坏的 | 瑕疵 | 次品 | 假货 | 正品 | 不新鲜 | 新鲜 | 过期 | 变质 | 发霉 | 烂了 | 尺码
            尺码偏 | 尺码不准 | 尺码不对 | 偏大 | 偏小 | 太小 | 太大 | 合身 | 色差 | 和图片 | 跟图片 | 与图片 | 图片不一样
            不符 | 描述不符 | 好用 | 不好用 | 用不了 | 不能用
            失灵 | 漏水 | 漏液 | 味道 | 好吃 | 难吃 | 面料 | 材质 | 舒服 | 掉色 | 起球 | 开线 | 异味 | 破洞 | 质感
            东西很好 | 东西不错 | 划痕 | 裂了 | 碎了 | 不亮 | 不转 | 音质 | 手感 | 接触不良 | 开胶 | 坏点
            蓝屏 | 死机 | 盗版 | 印刷 | 有虫 | 受潮 | 塌了 | 暖和 | 漏了 | 纸张 | 装不上 | 臭了 | 缩水 | 尺寸不对 | 描述一致 | 和描述 | 不充电 | 说明书 | 折了 | 太长 | 太短 | 颜色很正 | 颜色不对 | 颜色偏
        """),
    },
)

STOCK = Theme(
    "stock",
    {"en": "Availability", "hu": "Készlet", "zh": "缺货与品类"},
    {
        "en": _words("""
            stock | in stock | out of stock | sold out | restock* | availability | available | unavailable
            not available | selection | range | choice | variety | not find | not have | never have
            my size | in my size | size ... gone | back in stock | bring back | discontinued | substitut*
            waiting list | wait list | pre-order | preorder | missing items | items ... missing | run out
            ran out
        """),
        "hu": _words("""
            raktár* | készlet* | nincs raktáron | elfogy* | kifogy* | nem kapható | kapható | elérhető*
            választék* | kínálat* | nem találtam | nem találom | hiánycikk | beszerez* | utánpótlás
            nem volt ... méret* | nincs ... méret* | nem =rendelhető | kiszerelés* | sosincs | =sincs | tartsatok* | =tartsanak
        """),
        "zh": _words("""
            缺货 | 断货 | 没货 | 没有货 | 库存 | 有货 | 补货 | 卖完 | 售罄 | 下架 | 买不到 | 找不到 | 选择少 | 品种 | 种类
            没码 | 尺码不全 | 没有尺码 | 到货通知 | 现货 | 无货 | 抢光 | 断码 | 款式少 | 选择 | 大码 | 小码 | 码没了
            只剩 | 进点 | 进货 | 多上 | 上新 | 缺了 | 凑不齐 | 店里没有 | 全没了
        """),
    },
)

STAFF = Theme(
    "staff",
    {"en": "Staff and support", "hu": "Személyzet és ügyfélszolgálat", "zh": "客服与店员"},
    {
        "en": _words("""
            staff | employee* | assistant | cashier | customer service | customer support | support
            service desk | helpdesk | help desk | agent | operator | on the phone | by phone | call* | on hold
            reply | replies | replied | respond* | response | answer | answered
            no answer | no one answer* | nobody answer* | rude | friendly | unfriendly | helpful | unhelpful
            polite | impolite | patient | chat | chatbot | bot | talk to | human | manager | service
            guy | lady | girl | team | sales assistant | shop assistant | salesperson | seller
        """),
        "hu": _words("""
            ügyfélszolgálat* | ügyintéz* | eladó* | pénztáros* | kolléga* | munkatárs* | személyzet* | kiszolgál*
            =telefonon | =telefont | telefonos* | telefonál* | hívtam | felhív* | visszahív* | hívás* | levél* | levelet
            =választ | válasz | válaszol* | udvarias* | udvariatlan* | bunkó | segítőkész* | segítőkés* | kedves
            chat* | operátor* | tájékoztat* | ügyfélszolg* | segített | segíteni | segítség* | hölgy | úr | srác
            nem ... válasz* | nem reagál* | reagál* | =írtam =nekik | senki nem szól*
        """),
        "zh": _words("""
            客服 | 店员 | 导购 | 服务员 | 售货员 | 收银员 | 服务态度 | 态度 | 回复 | 回答 | 不回 | 没人回 | 没人理 | 电话
            热情 | 耐心 | 礼貌 | 不耐烦 | 机器人 | 人工 | 在线客服 | 服务 | 回消息 | 不理 | 答复 | 工作人员 | 售货 | 小姐姐
            师傅 | 员工 | 友好
        """),
    },
)

WEBSITE = Theme(
    "website",
    {"en": "Website and app", "hu": "Weboldal és app", "zh": "网站与应用"},
    {
        "en": _words("""
            website | site | web | app | application | page | pages
            search | filter* | navigation | navigate | menu | checkout | check out | basket | cart | login
            log in | sign in | password | account | register* | crash* | bug | bugs | glitch* | error
            loading | load | slow | mobile | button | popup | pop-up | cookie* | dark mode | description
            photo* | picture* | size chart | size guide | sizes chart | easy to use | easy to order
            user friendly | user-friendly | interface | scroll* | click* | dimensions | confirmation email
            ingredient* | portal | not find where | not find how | find where
        """),
        "hu": _words("""
            weboldal* | honlap* | app | appban | applikáció*
            alkalmazás* | keresés* | kereső* | szűr* | kosár* | kosarat | kosárba | regisztrá* | bejelentkez*
            jelszó* | jelszav* | fiók* | belép* | lefagy* | hibaüzenet* | betölt* | lassan tölt* | mobil*
            oldal* ... lassú | lassú ... oldal* | oldal* ... lefagy* | oldal* ... zavaros | zavaros ... oldal*
            nem talál* hol | nem talál* hogy | nem talál* ... hogyan | találat* | rendszer* | beír* | nem tölt* be | újratölt*
            gomb* | termékleírás* | leírás* | fotó* | kép | képek* | képet | felület* | menü* | átlátható*
            áttekinthető* | kezelhető* | könnyen ... rendel* | rendelés ... egyszerű | pénztár* | checkout
            hiba ... oldal* | oldal ... hiba*
        """),
        "zh": _words("""
            网站 | 网页 | 官网 | app | APP | 页面 | 搜索 | 购物车 | 结账 | 登录 | 登陆 | 注册 | 密码 | 闪退 | 卡顿 | 卡死
            加载 | 打不开 | 报错 | bug | 界面 | 筛选 | 图片 | 详情页 | 商品详情 | 按钮 | 小程序 | 系统 | 操作
            网速 | 刷新 | 页面卡 | 很卡 | 太卡 | 账号 | 验证码 | 商品介绍 | 尺码表 | 结算页 | 结算 | 评论区 | 入口
            找不到入口 | 在哪下载 | 下载
        """),
    },
)

PAYMENT = Theme(
    "payment",
    {"en": "Payment", "hu": "Fizetés", "zh": "支付"},
    {
        "en": _words("""
            payment | payments | pay by | pay with | pay via | pay later | paid by | paid with | paying with
            not pay | pay ... card | card ... declin* | declined | credit card | debit card | by card | card payment
            =charged | charge twice | charged twice | double charge* | invoice* | receipt | vat | paypal
            apple pay | google pay | klarna | cash on delivery | cash | bank transfer | transfer | 3d secure
            money was taken | money taken | transaction
        """),
        "hu": _words("""
            fizetés* | kifizet* | fizettem ... kártyá* | kártyá* ... fizet* | bankkártya* | kártyás* | =kártyával | =bankkártyával | utánvét*
            számla | számlá* | számlát | kétszer ... levon* | kétszer ... von* | von* le | apple pay*
            levon* | terhel* | paypal | simplepay | barion | apple pay | google pay | átutalás* | tranzakci*
            visszautasít* | elutasít* ... kártya* | kártya* ... elutasít* | készpénz*
        """),
        "zh": _words("""
            付款 | 支付 | 扣款 | 扣了两次 | 重复扣款 | 扣了 | 发票 | 货到付款 | 支付宝 | 微信支付 | 银行卡 | 信用卡 | 花呗 | 刷卡
            转账 | 付不了 | 支付失败 | 付款失败 | 扣钱 | 多扣 | 收据 | 现金 | 开票 | 付钱 | 云闪付 | 专票 | 普票
        """),
    },
)

RETURNS = Theme(
    "returns",
    {"en": "Returns and refunds", "hu": "Visszaküldés és visszatérítés", "zh": "退换货与售后"},
    {
        "en": _words("""
            return | returns | returned | returning | refund* | exchange* | warranty | guarantee | money back
            send back | sent back | send it back | sent it back | store credit | return label | returns portal
            repair* | replacement | send ... back | sent ... back
        """),
        "hu": _words("""
            visszaküld* | =visszavittem | =visszavittük | visszatérít* | visszakap* | visszautal* | pénz* ... vissza
            csere | cseré* | kicserél* | becserél* | garancia* | garanciá* | jótállás* | szerviz* | elállás*
            visszaküldés* | visszaad* | visszafizet* | reklamál* | pénzvissza*
        """),
        "zh": _words("""
            退货 | 退款 | 换货 | 退换 | 售后 | 保修 | 维修 | 七天无理由 | 无理由 | 寄回 | 退回 | 返修 | 质保 | 三包 | 退钱
            换一个 | 退了 | 退给 | 可以退
        """),
    },
)

PACKAGING = Theme(
    "packaging",
    {"en": "Packaging", "hu": "Csomagolás", "zh": "包装"},
    {
        "en": _words("""
            packaging | =packing | =packed | pack ... properly | well packed | badly packed | wrap* | box | boxes
            crushed | squashed | dented | torn open | ripped open | plastic | cardboard | padding | air pillow*
            bubble wrap | recycl* | eco | tape | envelope | packaged | package ... damaged | damaged package
            wet
        """),
        "hu": _words("""
            csomagolás* | becsomagol* | csomagol* | doboz* | sérült* | megsérült | összenyom* | horpad* | benyom*
            szakadt ... csomag* | csomag ... szakad* | ragasztószalag* | buborékfólia* | fólia* | műanyag* | papír*
            karton* | töltőanyag* | összetört ... csomag* | ázott* | vizes | nedves | gyűrött
        """),
        "zh": _words("""
            包装 | 纸箱 | 盒子 | 箱子 | 外包装 | 泡沫 | 气泡膜 | 塑料 | 压坏 | 压扁 | 破损 | 胶带 | 环保 | 包得 | 包装盒
            过度包装 | 包装袋 | 箱子破 | 压烂 | 防震 | 缓冲 | 湿了 | 湿透 | 泡水 | 冰袋 | 袋子 | 塑封 | 瘪了 | 有点瘪 | 快递包装
        """),
    },
)

LOYALTY = Theme(
    "loyalty",
    {"en": "Loyalty programme", "hu": "Hűségprogram", "zh": "会员与积分"},
    {
        "en": _words("""
            loyalty | =points | =point per | points balance | loyalty card | member card | membership* | member
            members | club | reward* | tier* | bonus | cashback | stamp*
            redeem* | birthday reward | birthday discount | vip | gold tier | silver | platinum
        """),
        "hu": _words("""
            pontok* | pontjai* | =pontot | =pontért | pontgyűjt* | pontegyenleg* | törzsvásárló* | hűségprogram* | hűség*
            klubkártya* | törzskártya* | tagság* | tagi | tagként | klubtag* | klub* | jutalom* | bónusz*
            bevált* | gyűjt* | =szint | szintek* | =szintet | =szintre | arany szint* | ezüst szint* | vip
            törzsvásárló* kártyá* | hűségkártyá* | pontbevált* | pontrendszer* | pontjóváír* | hűségpont*
        """),
        "zh": _words("""
            会员 | 会员卡 | 积分 | 会员价 | 等级 | 积分兑换 | 兑换 | 返现 | 生日礼 | 权益 | 储值 | 充值 | 积分卡 | vip | VIP
            金卡 | 银卡 | 攒积分 | 会员日 | 老客户 | 注册会员 | 积分过期
        """),
    },
)

BUILT_IN = Taxonomy((DELIVERY, PRICE, QUALITY, STOCK, STAFF, WEBSITE, PAYMENT, RETURNS, PACKAGING, LOYALTY))
"""The themes every site starts with, in the order keys are listed everywhere."""
