# ruff: noqa: E501  (documents as their authors wrote them: long lines are their text)
"""The texts of the multi-document bench set (a fictional commune, Tân Phú), as written.

`make_documents.py` turns each into the file format an office would send: Word through pandoc,
PDF through LibreOffice (with page headers, footers and numbers), a news page inside its site,
Markdown with and without front matter. Every fact the questions ask is written here once.
"""


def _two_columns(left: list[str], right: list[str]) -> str:
    """A borderless two-column table, as an office sets a letterhead or a document's foot
    (pandoc's grid table: each cell's lines are its paragraphs)."""
    width = 44
    rows = []
    for i in range(max(len(left), len(right))):
        cells = [side[i] if i < len(side) else "" for side in (left, right)]
        rows.append("| " + " | ".join(c.ljust(width) for c in cells) + " |")
    rule = "+" + "+".join("-" * (width + 2) for _ in range(2)) + "+"
    return "\n".join([rule, *rows, rule])


HOI_THI = (
    """\
---
title: "KẾ HOẠCH Tổ chức Hội thi tìm hiểu lịch sử Đảng bộ xã Tân Phú năm 2025"
---

"""
    + _two_columns(
        ["**ĐẢNG BỘ XÃ TÂN PHÚ**", "", "Số 45-KH/ĐU"],
        ["**ĐẢNG CỘNG SẢN VIỆT NAM**", "", "*Tân Phú, ngày 12 tháng 3 năm 2025*"],
    )
    + """

Thực hiện Chương trình công tác năm 2025 của Ban Chấp hành Đảng bộ xã, Ban Thường vụ Đảng ủy xã \
xây dựng Kế hoạch tổ chức Hội thi tìm hiểu lịch sử Đảng bộ xã Tân Phú, như sau:

# I. MỤC ĐÍCH, YÊU CẦU

1. Giáo dục truyền thống cách mạng, bồi đắp niềm tự hào về quê hương Tân Phú cho cán bộ, đảng \
viên và Nhân dân, nhất là thế hệ trẻ.
2. Hội thi được tổ chức trang trọng, tiết kiệm, thu hút đông đảo đoàn viên, hội viên tham gia; \
tuyệt đối không để xảy ra tình trạng hình thức, lãng phí.

# II. NỘI DUNG VÀ HÌNH THỨC

## 1. Nội dung

Hội thi tập trung vào lịch sử Đảng bộ xã Tân Phú giai đoạn 1945 - 2025, trọng tâm là cuộc khởi \
nghĩa giành chính quyền ở địa phương ngày 25 tháng 8 năm 1945 và những thành tựu sau 40 năm đổi mới.

## 2. Hình thức

Hội thi gồm hai vòng. Vòng sơ khảo thi viết, mỗi chi bộ cử ba thí sinh tham gia. Vòng chung \
khảo là phần thi sân khấu giữa các đội xuất sắc nhất của vòng sơ khảo.

# III. THỜI GIAN, ĐỊA ĐIỂM

Vòng sơ khảo tổ chức ngày 20 tháng 4 năm 2025 tại các chi bộ. Vòng chung khảo diễn ra vào \
sáng ngày 18 tháng 5 năm 2025 tại Hội trường Ủy ban nhân dân xã Tân Phú.

# IV. CƠ CẤU GIẢI THƯỞNG

| Giải | Số lượng | Mức thưởng |
|------|----------|------------|
| Giải Nhất | 01 giải | 3.000.000 đồng |
| Giải Nhì | 02 giải | 2.000.000 đồng |
| Giải Ba | 03 giải | 1.000.000 đồng |
| Giải Khuyến khích | 05 giải | 500.000 đồng |

Kinh phí tổ chức Hội thi do ngân sách Đảng ủy xã bảo đảm, tổng dự toán 25.000.000 đồng.

# V. TỔ CHỨC THỰC HIỆN

1. Ban Tuyên giáo Đảng ủy xã chủ trì, tham mưu thành lập Ban Tổ chức và Ban Giám khảo Hội thi.
2. Đoàn Thanh niên xã phối hợp tuyên truyền, vận động đoàn viên tham gia cổ vũ vòng chung khảo.
3. Các chi bộ gửi danh sách thí sinh về Văn phòng Đảng ủy xã trước ngày 10 tháng 4 năm 2025.

"""
    + _two_columns(
        [
            "**Nơi nhận:**",
            "",
            "- Ban Tuyên giáo Huyện ủy (b/c),",
            "- Các chi bộ trực thuộc,",
            "- Đoàn Thanh niên xã,",
            "- Lưu VP.",
        ],
        ["**T/M BAN THƯỜNG VỤ**", "", "**PHÓ BÍ THƯ**", "", "*(Đã ký)*", "", "**Trần Thị Mai**"],
    )
    + "\n"
)

SO_KET = (
    """\
---
title: "BÁO CÁO Sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2025"
---

# I. KẾT QUẢ ĐẠT ĐƯỢC

## 1. Công tác chính trị, tư tưởng

Ban Thường vụ Đảng ủy xã tổ chức học tập, quán triệt các nghị quyết mới cho 100% cán bộ, đảng \
viên. Tình hình tư tưởng trong Đảng bộ ổn định, cán bộ, đảng viên tin tưởng vào sự lãnh đạo của Đảng.

## 2. Công tác tổ chức, đảng viên

Đến ngày 30 tháng 6 năm 2025, Đảng bộ xã có 18 chi bộ trực thuộc với tổng số 412 đảng viên, \
trong đó 57 đảng viên được miễn sinh hoạt đảng.

Trong 6 tháng đầu năm, Đảng bộ kết nạp được 11 đảng viên mới, đạt 55% chỉ tiêu năm; \
chuyển đảng chính thức cho 9 đồng chí.

| Chỉ tiêu | Kế hoạch năm | Thực hiện 6 tháng |
|----------|--------------|-------------------|
| Kết nạp đảng viên mới | 20 | 11 |
| Bồi dưỡng nhận thức về Đảng | 40 quần chúng | 32 quần chúng |
| Chi bộ có sổ tay điện tử | 18 chi bộ | 12 chi bộ |

## 3. Công tác kiểm tra, giám sát

Ủy ban Kiểm tra Đảng ủy xã kiểm tra 4 tổ chức đảng và giám sát chuyên đề 6 đảng viên; \
qua kiểm tra chưa phát hiện vi phạm phải xử lý kỷ luật. Đồng chí Phạm Thị Hoa, Chủ nhiệm Ủy ban \
Kiểm tra, trực tiếp chỉ đạo các cuộc kiểm tra.

# II. HẠN CHẾ

Chất lượng sinh hoạt ở một số chi bộ ấp còn đơn điệu, nội dung chưa phong phú; \
việc cập nhật sổ tay đảng viên điện tử còn chậm.

# III. NHIỆM VỤ 6 THÁNG CUỐI NĂM

1. Hoàn thành chỉ tiêu kết nạp đảng viên mới, chú trọng đoàn viên thanh niên ưu tú.
2. Tổ chức thành công đại hội các chi bộ trực thuộc nhiệm kỳ 2025 - 2027 trước ngày 31 tháng 7 năm 2025.
3. Đưa sổ tay đảng viên điện tử vào sử dụng ở tất cả chi bộ trước quý IV năm 2025.

"""
    + _two_columns(
        [
            "**Nơi nhận:**",
            "",
            "- Ban Thường vụ Huyện ủy (b/c),",
            "- Ban Tổ chức Huyện ủy,",
            "- Các đồng chí Đảng ủy viên,",
            "- Lưu VP.",
        ],
        ["**T/M ĐẢNG ỦY**", "", "**BÍ THƯ**", "", "", "**Nguyễn Văn Hùng**"],
    )
    + "\n"
)

QUY_CHE = """\
---
title: "QUY CHẾ Sinh hoạt chi bộ của Đảng bộ xã Tân Phú"
---

ĐẢNG ỦY XÃ TÂN PHÚ

*Tân Phú, ngày 05 tháng 01 năm 2025*

# Chương I. QUY ĐỊNH CHUNG

## Điều 1. Phạm vi điều chỉnh

Quy chế này quy định nội dung, hình thức, thời gian sinh hoạt của các chi bộ trực thuộc Đảng bộ \
xã Tân Phú. Quy chế áp dụng cho các chi bộ ấp, chi bộ cơ quan và chi bộ trường học.

## Điều 2. Nguyên tắc sinh hoạt

Sinh hoạt chi bộ bảo đảm nguyên tắc tập trung dân chủ, tự phê bình và phê bình, đoàn kết thống \
nhất trong Đảng. Đảng viên có ý kiến khác được quyền bảo lưu và báo cáo lên cấp ủy cấp trên.

# Chương II. NỘI DUNG SINH HOẠT

## Điều 3. Sinh hoạt thường kỳ

Chi bộ sinh hoạt thường kỳ mỗi tháng một lần, vào ngày mùng 5 hằng tháng. Khi trùng ngày lễ, \
Tết, chi bộ có thể lùi lịch sinh hoạt nhưng không quá 5 ngày.

Mỗi buổi sinh hoạt thường kỳ không quá 120 phút. Bí thư chi bộ chủ trì buổi sinh hoạt; khi vắng \
thì Phó Bí thư chủ trì.

## Điều 4. Sinh hoạt chuyên đề

Chi bộ sinh hoạt chuyên đề ít nhất mỗi quý một lần. Chủ đề do chi ủy đề xuất, được Đảng ủy xã \
thông qua trước ngày 25 của tháng cuối quý trước.

## Điều 5. Đảng viên vắng sinh hoạt

Đảng viên vắng sinh hoạt phải báo cáo bằng văn bản hoặc tin nhắn với bí thư chi bộ trước buổi \
sinh hoạt. Đảng viên vắng ba lần trong năm không có lý do chính đáng thì chi bộ xem xét xử lý \
theo Điều lệ Đảng.

# Chương III. TỔ CHỨC THỰC HIỆN

## Điều 6. Trách nhiệm thi hành

Văn phòng Đảng ủy xã theo dõi, tổng hợp việc thực hiện Quy chế và báo cáo Ban Thường vụ mỗi sáu \
tháng. Quy chế có hiệu lực kể từ ngày ký và thay thế Quy chế số 12-QC/ĐU năm 2020.

**Nơi nhận:**

\\- Ban Thường vụ Huyện ủy (b/c),

\\- Các chi bộ trực thuộc,

\\- Lưu VP.

**T/M ĐẢNG ỦY**

**BÍ THƯ**

**Nguyễn Văn Hùng**
"""

DAI_HOI = """\
---
title: "HƯỚNG DẪN Tổ chức đại hội chi bộ trực thuộc nhiệm kỳ 2025 - 2027"
---

ĐẢNG ỦY XÃ TÂN PHÚ

Số 08-HD/ĐU

*Tân Phú, ngày 20 tháng 02 năm 2025*

# I. THỜI GIAN TỔ CHỨC ĐẠI HỘI

Đại hội các chi bộ trực thuộc hoàn thành trước ngày 31 tháng 7 năm 2025. Chi bộ ấp Tân Hòa \
được chọn tổ chức đại hội điểm vào ngày 15 tháng 5 năm 2025 để rút kinh nghiệm chung.

# II. NỘI DUNG ĐẠI HỘI

## 1. Báo cáo chính trị

Đại hội thảo luận, đánh giá kết quả thực hiện nghị quyết nhiệm kỳ 2022 - 2025 và quyết định \
mục tiêu, chỉ tiêu, giải pháp của nhiệm kỳ 2025 - 2027.

## 2. Bầu cử

Chi bộ có từ 9 đảng viên chính thức trở lên thì bầu chi ủy; chi ủy gồm 3 đến 5 đồng chí. \
Chi bộ dưới 9 đảng viên chính thức chỉ bầu bí thư và có thể bầu phó bí thư.

Việc bầu cử thực hiện bằng phiếu kín. Người trúng cử phải được quá một nửa số phiếu bầu hợp lệ.

# III. NHÂN SỰ CHI ỦY

Tuổi tái cử chi ủy viên không quá 60 đối với nam và 55 đối với nữ tính đến thời điểm đại hội. \
Cơ cấu chi ủy phấn đấu có ít nhất một đồng chí nữ và một đồng chí dưới 40 tuổi.

# IV. HỒ SƠ ĐẠI HỘI

Sau đại hội 10 ngày, chi bộ nộp hồ sơ về Văn phòng Đảng ủy xã gồm: biên bản đại hội, nghị quyết \
đại hội, biên bản kiểm phiếu và danh sách trích ngang chi ủy mới.

# V. TỔ CHỨC THỰC HIỆN

Ban Tổ chức Đảng ủy xã theo dõi, hướng dẫn các chi bộ; Thường trực Đảng ủy phân công đồng chí \
ủy viên Ban Thường vụ dự và chỉ đạo đại hội từng chi bộ.

**Nơi nhận:**

\\- Ban Tổ chức Huyện ủy (b/c),

\\- Các chi bộ trực thuộc,

\\- Lưu VP, BTC.

**T/M BAN THƯỜNG VỤ**

**PHÓ BÍ THƯ**

**Lê Hoàng Phúc**
"""

TIN_HOI_NGHI = """\
<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Hội nghị báo cáo viên quý II năm 2025 - Cổng thông tin xã Tân Phú</title>
<meta property="article:published_time" content="2025-06-24T08:30:00+07:00">
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<div class="top-bar">Thứ Ba, 24/06/2025 | Đăng nhập | English</div>
<header class="site-header">
  <div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ XÃ TÂN PHÚ</div>
  <nav class="menu">
    <ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
    <li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản</a></li>
    <li><a href="/thu-tuc">Thủ tục hành chính</a></li><li><a href="/lien-he">Liên hệ</a></li></ul>
  </nav>
</header>
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/tin-tuc">Tin tức - Sự kiện</a> › Xây dựng Đảng</div>
<div class="container">
<main>
<article class="news-detail">
<h1>Hội nghị báo cáo viên quý II năm 2025</h1>
<div class="meta">Đăng ngày <time datetime="2025-06-24">24/06/2025</time> - Tác giả: Minh Thư</div>
<p class="sapo">Sáng ngày 23 tháng 6 năm 2025, Ban Tuyên giáo Đảng ủy xã Tân Phú tổ chức Hội nghị \
báo cáo viên quý II năm 2025 nhằm thông tin thời sự và định hướng tuyên truyền cho đội ngũ báo cáo viên.</p>
<p>Dự hội nghị có 35 báo cáo viên, tuyên truyền viên của các chi bộ ấp, cơ quan, trường học \
và các đoàn thể chính trị - xã hội của xã.</p>
<p>Tại hội nghị, báo cáo viên Huyện ủy thông tin chuyên đề về tình hình thế giới, khu vực và \
những điểm mới của dự thảo văn kiện trình Đại hội XIV của Đảng.</p>
<h2>Định hướng tuyên truyền quý III</h2>
<p>Hội nghị định hướng các chi bộ tập trung tuyên truyền về đại hội chi bộ nhiệm kỳ 2025 - 2027, \
phong trào chuyển đổi số và phòng, chống cháy nổ trong mùa khô.</p>
<p>Ban Tuyên giáo đề nghị mỗi báo cáo viên có ít nhất hai bài viết đăng trên trang thông tin \
của xã trong quý III.</p>
<div class="share-buttons"><a href="#">Chia sẻ Facebook</a> <a href="#">Zalo</a> <a href="#">In bài</a></div>
</article>
</main>
<aside class="sidebar">
  <h3>Tin liên quan</h3>
  <ul>
    <li><a href="/tin/1">Xã Tân Phú ra quân làm sạch đường làng ngõ xóm</a></li>
    <li><a href="/tin/2">Đoàn Thanh niên xã trao học bổng cho 20 học sinh nghèo</a></li>
    <li><a href="/tin/3">Hội Nông dân xã tập huấn kỹ thuật trồng lúa</a></li>
  </ul>
  <div class="banner">Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh</div>
</aside>
</div>
<div class="related-news"><h3>Tin mới</h3><a href="/tin/4">Lịch tiếp công dân tháng 7 năm 2025</a></div>
<footer class="site-footer">
  <p>Cơ quan chủ quản: Ủy ban nhân dân xã Tân Phú. Địa chỉ: ấp Tân Hòa, xã Tân Phú.</p>
  <p>Điện thoại: 0272 3888 999 - Email: tanphu@example.gov.vn</p>
  <p>Bản quyền © 2025 Cổng thông tin điện tử xã Tân Phú.</p>
</footer>
<script src="/static/menu.js"></script>
</body>
</html>
"""

LICH_TIEP = """\
<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Thông báo lịch tiếp dân của Bí thư Đảng ủy xã | Tân Phú</title></head>
<body>
<div id="wrapper">
<div class="header"><div class="logo">Đảng bộ xã Tân Phú</div>
<div class="navbar"><a href="/">Trang chủ</a> | <a href="/dang-bo">Đảng bộ</a> | <a href="/tin">Tin tức</a> | <a href="/lien-he">Liên hệ</a></div></div>
<div class="content">
<div class="post">
<h1 class="post-title">Thông báo lịch tiếp dân định kỳ của Bí thư Đảng ủy xã năm 2025</h1>
<div class="post-date">Ngày đăng: 02/01/2025</div>
<div class="post-body">
<p>Thực hiện Quy định số 11-QĐi/TW của Bộ Chính trị về trách nhiệm của người đứng đầu cấp ủy \
trong việc tiếp dân, Văn phòng Đảng ủy xã thông báo lịch tiếp dân năm 2025 như sau.</p>
<p>Bí thư Đảng ủy xã tiếp dân định kỳ vào sáng thứ Năm của tuần thứ hai hằng tháng, từ 7 giờ 30 \
đến 11 giờ 00.</p>
<p>Địa điểm tiếp dân: Phòng tiếp công dân, tầng 1 trụ sở Đảng ủy - Ủy ban nhân dân xã Tân Phú.</p>
<p>Công dân đến liên hệ mang theo căn cước công dân và các giấy tờ liên quan đến nội dung kiến \
nghị. Trường hợp nhiều người cùng nội dung thì cử không quá 5 người đại diện.</p>
<p>Ngoài lịch định kỳ, Bí thư Đảng ủy xã tiếp dân đột xuất khi có vụ việc phức tạp, đông người.</p>
<p>Công dân đăng ký trước lịch tiếp qua điện thoại Văn phòng Đảng ủy xã (0272) 3851 234 trong giờ \
hành chính.</p>
</div>
</div>
<div class="widget"><h4>Liên kết website</h4><a href="#">Báo Nhân Dân</a> <a href="#">Tạp chí Cộng sản</a></div>
</div>
<div class="footer">© Đảng bộ xã Tân Phú. Thiết kế bởi Trung tâm Văn hóa - Thông tin.</div>
</div>
</body>
</html>
"""

CHUYEN_DOI_SO = """\
---
title: "Chương trình hành động về chuyển đổi số trong Đảng bộ xã Tân Phú giai đoạn 2025 - 2030"
kind: plan
date: 2025-04-08
source: "Ban Chấp hành Đảng bộ xã Tân Phú"
---

# Mục tiêu

Đến năm 2027, 100% chi bộ trực thuộc sử dụng sổ tay đảng viên điện tử trong sinh hoạt. \
Đến năm 2030, 90% thủ tục hành chính của xã được giải quyết trực tuyến toàn trình.

# Nhiệm vụ và giải pháp

## Hạ tầng số

Phủ sóng Internet cáp quang đến 100% ấp trước năm 2026; lắp đặt 12 điểm phát wifi miễn phí \
tại nhà văn hóa các ấp và khu chợ Tân Phú.

## Nhân lực số

Mỗi ấp thành lập một tổ công nghệ số cộng đồng gồm 5 thành viên, do trưởng ấp làm tổ trưởng, \
hướng dẫn người dân cài đặt và sử dụng dịch vụ công trực tuyến.

- Tập huấn kỹ năng số cho cán bộ, đảng viên ít nhất hai lần mỗi năm.
- Đoàn Thanh niên xã đảm nhận vai trò nòng cốt trong phong trào "Bình dân học vụ số".

# Kinh phí

Kinh phí thực hiện Chương trình khoảng 1,2 tỷ đồng, từ ngân sách xã và nguồn xã hội hóa.
"""

SO_TAY = """\
# Hướng dẫn sử dụng Sổ tay đảng viên điện tử

Văn phòng Đảng ủy xã Tân Phú, ngày 15 tháng 7 năm 2025

## Cài đặt ứng dụng

Đảng viên tải ứng dụng Sổ tay đảng viên từ kho ứng dụng của điện thoại, đăng nhập bằng số điện \
thoại đã đăng ký với chi bộ. Mật khẩu lần đầu do Văn phòng Đảng ủy xã cấp qua tin nhắn.

## Các chức năng chính

- Xem tài liệu sinh hoạt chi bộ và nghị quyết mới trước mỗi buổi sinh hoạt.
- Điểm danh sinh hoạt bằng mã QR do bí thư chi bộ tạo tại buổi họp.
- Đóng đảng phí trực tuyến qua tài khoản ngân hàng của Đảng ủy xã.

## Hỗ trợ

Khi quên mật khẩu, đảng viên liên hệ cán bộ văn phòng Đảng ủy xã trong giờ hành chính để được \
cấp lại trong ngày. Mọi thắc mắc kỹ thuật gửi qua nhóm hỗ trợ của tổ công nghệ số ấp.
"""
