"""The cover label a number's prefix calls for (GB/T 1.1—2020, 8.1): national, sector, local, group,
enterprise. Data, so a missing sector or province is one line to add."""

from __future__ import annotations

import re

#: sector codes and the ministry's sector, as the cover prints it (中华人民共和国…行业标准)
SECTORS = {
    "AQ": "安全生产", "CJ": "城镇建设", "DL": "电力", "FZ": "纺织", "GA": "公共安全", "HG": "化工",
    "HJ": "国家环境保护", "JB": "机械", "JG": "建筑工业", "JT": "交通", "LY": "林业", "MZ": "民政",
    "NY": "农业", "QB": "轻工", "QC": "汽车", "SB": "国内贸易", "SJ": "电子", "SL": "水利",
    "SN": "出入境检验检疫", "TB": "铁道", "WS": "卫生", "YD": "通信", "YY": "医药",
}  # fmt: skip
#: province codes (GB/T 2260) of local standards, DB44/T → 广东省地方标准
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省",
    "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
}  # fmt: skip


def cover_kind(number: str | None, language: str) -> str:
    """ "团体标准" for T/…, "中华人民共和国国家标准" for GB and GB/T, and so on; group by default."""
    en = language == "en"
    prefix = re.match(r"([A-Z]+)([0-9]{2})?(/[TZ])?", number or "")
    code = prefix.group(1) if prefix else "T"
    if not number or number.startswith("T/"):
        return "Group Standard" if en else "团体标准"
    if number.startswith("Q/"):
        return "Enterprise Standard" if en else "企业标准"
    if code == "GB":
        if prefix and prefix.group(3) == "/Z":
            return (
                "Standardization Guiding Technical Document of the People's Republic of China"
                if en
                else "中华人民共和国国家标准化指导性技术文件"
            )
        return "National Standard of the People's Republic of China" if en else "中华人民共和国国家标准"
    if code == "DB" and prefix and prefix.group(2):
        province = PROVINCES.get(prefix.group(2), "")
        return "Local Standard" if en else f"{province}地方标准"
    if code in SECTORS:
        return (
            "Sector Standard of the People's Republic of China"
            if en
            else f"中华人民共和国{SECTORS[code]}行业标准"
        )
    return "Group Standard" if en else "团体标准"
