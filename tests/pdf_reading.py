"""Reading PDFs back as a person copying their text would, and texts in the six UN languages to write into them."""
import io
import re
import unicodedata

from pypdf import PdfReader

# A side event in each official language: title, organiser, a background paragraph, two issues, two
# recommendations. The Arabic is Arabic only (no Latin inside), so its words read back in one order.
SIX_LANGUAGES = {
    "ar": ("سد الفجوة الرقمية من خلال العلم والتكنولوجيا والابتكار", "البعثة الدائمة لمصر لدى الأمم المتحدة",
           "يعيد الذكاء الاصطناعي تشكيل الطريقة التي تقدم بها البلدان الخدمات العامة، ويجب أن تستفيد منه جميع "
           "البلدان النامية دون استثناء، فلا يتخلف أحد عن الركب.",
           ["بناء القدرات في مجال البيانات والحوسبة", "التعاون بين بلدان الجنوب في مجال العلوم"],
           ["إنشاء شبكة إقليمية لتبادل الخبرات", "تمويل البحوث المفتوحة في الجامعات"]),
    "zh": ("通过科学、技术和创新弥合数字鸿沟", "中华人民共和国常驻联合国代表团",
           "人工智能正在改变各国提供公共服务的方式。所有发展中国家都应当从中受益，不让任何一个国家掉队。"
           "会议讨论了“全球数字契约”的落实情况，以及如何加强能力建设。",
           ["数据和计算能力建设", "南南科技合作"], ["建立区域经验交流网络", "资助大学开展开放研究"]),
    "en": ("Closing the digital divide through science, technology and innovation",
           "Permanent Mission of Zambia to the United Nations",
           "Artificial intelligence is reshaping how countries deliver public services; every developing country "
           "should benefit from it, and no one should be left behind.",
           ["Building capacity for data and computing", "South–South cooperation in science"],
           ["Create a regional network to share experience", "Fund open research in universities"]),
    "fr": ("Réduire la fracture numérique grâce à la science, à la technologie et à l’innovation",
           "Mission permanente de la République du Sénégal auprès de l’Organisation des Nations Unies",
           "L’intelligence artificielle transforme la façon dont les pays fournissent leurs services publics ; tous "
           "les pays en développement, de l’Égypte au Pérou, doivent en bénéficier.",
           ["Renforcement des capacités en matière de données et de calcul",
            "Coopération Sud-Sud dans le domaine scientifique"],
           ["Créer un réseau régional d’échange d’expériences", "Financer la recherche ouverte dans les universités"]),
    "ru": ("Преодоление цифрового разрыва с помощью науки, техники и инноваций",
           "Постоянное представительство Российской Федерации при ООН",
           "Искусственный интеллект меняет то, как страны оказывают государственные услуги; его преимуществами "
           "должны пользоваться все развивающиеся страны.",
           ["Наращивание потенциала в области данных и вычислений", "Сотрудничество Юг — Юг в области науки"],
           ["Создать региональную сеть для обмена опытом", "Финансировать открытые исследования в университетах"]),
    "es": ("Cerrar la brecha digital mediante la ciencia, la tecnología y la innovación",
           "Misión Permanente de México ante las Naciones Unidas",
           "La inteligencia artificial está transformando la manera en que los países prestan servicios públicos. "
           "¿Cómo lograr que todos los países en desarrollo se beneficien?",
           ["Creación de capacidad en materia de datos y computación", "Cooperación Sur-Sur en el ámbito científico"],
           ["Crear una red regional de intercambio de experiencias",
            "Financiar la investigación abierta en las universidades"]),
}


def _is_arabic_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum("ARABIC" in unicodedata.name(c, "") for c in letters) * 2 > len(letters)


LIST_MARKER = re.compile(r"^\s*(\d+\.|•)\s*")


def read_back(data: bytes) -> str:
    """The PDF's text as pypdf extracts it, letters folded (NFKC turns Arabic presentation forms back into
    letters). pypdf gives the words of a right-to-left line as they are drawn, left to right: an Arabic
    line's words are put back in reading order, after its list marker (drawn first, so read first)."""
    lines = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for line in unicodedata.normalize("NFKC", page.extract_text()).splitlines():
            if _is_arabic_line(line):
                marker = LIST_MARKER.match(line)
                start = marker.group(1) + " " if marker else ""
                line = start + " ".join(reversed(line[marker.end() if marker else 0:].split()))
            lines.append(" ".join(line.split()))
    return "\n".join(lines)


def squeezed(text: str, lang: str) -> str:
    """Text without the line breaks the layout adds. In Arabic, punctuation is dropped too: a comma or
    full stop is drawn where the direction of the line puts it, so it reads back beside another word."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if c.isalnum()) if lang == "ar" else re.sub(r"\s+", "", text)
