"""The 17 Sustainable Development Goals by the short names the United Nations gives them in its six
official languages (the names on the UN's SDG pages and icons), so "SDG 9" reads as the goal itself."""
from flask_babel import get_locale


NAMES = {
    "en": ("No Poverty", "Zero Hunger", "Good Health and Well-being", "Quality Education", "Gender Equality",
           "Clean Water and Sanitation", "Affordable and Clean Energy", "Decent Work and Economic Growth",
           "Industry, Innovation and Infrastructure", "Reduced Inequalities", "Sustainable Cities and Communities",
           "Responsible Consumption and Production", "Climate Action", "Life Below Water", "Life on Land",
           "Peace, Justice and Strong Institutions", "Partnerships for the Goals"),
    "fr": ("Pas de pauvreté", "Faim « zéro »", "Bonne santé et bien-être", "Éducation de qualité",
           "Égalité entre les sexes", "Eau propre et assainissement", "Énergie propre et d’un coût abordable",
           "Travail décent et croissance économique", "Industrie, innovation et infrastructure",
           "Inégalités réduites", "Villes et communautés durables", "Consommation et production responsables",
           "Mesures relatives à la lutte contre les changements climatiques", "Vie aquatique", "Vie terrestre",
           "Paix, justice et institutions efficaces", "Partenariats pour la réalisation des objectifs"),
    "es": ("Fin de la pobreza", "Hambre cero", "Salud y bienestar", "Educación de calidad", "Igualdad de género",
           "Agua limpia y saneamiento", "Energía asequible y no contaminante", "Trabajo decente y crecimiento económico",
           "Industria, innovación e infraestructura", "Reducción de las desigualdades",
           "Ciudades y comunidades sostenibles", "Producción y consumo responsables", "Acción por el clima",
           "Vida submarina", "Vida de ecosistemas terrestres", "Paz, justicia e instituciones sólidas",
           "Alianzas para lograr los objetivos"),
    "ru": ("Ликвидация нищеты", "Ликвидация голода", "Хорошее здоровье и благополучие", "Качественное образование",
           "Гендерное равенство", "Чистая вода и санитария", "Недорогостоящая и чистая энергия",
           "Достойная работа и экономический рост", "Индустриализация, инновации и инфраструктура",
           "Уменьшение неравенства", "Устойчивые города и населенные пункты",
           "Ответственное потребление и производство", "Борьба с изменением климата", "Сохранение морских экосистем",
           "Сохранение экосистем суши", "Мир, правосудие и эффективные институты",
           "Партнерство в интересах устойчивого развития"),
    "zh_Hans": ("无贫穷", "零饥饿", "良好健康与福祉", "优质教育", "性别平等", "清洁饮水和卫生设施", "经济适用的清洁能源",
                "体面工作和经济增长", "产业、创新和基础设施", "减少不平等", "可持续城市和社区", "负责任消费和生产",
                "气候行动", "水下生物", "陆地生物", "和平、正义与强大机构", "促进目标实现的伙伴关系"),
    "ar": ("القضاء على الفقر", "القضاء التام على الجوع", "الصحة الجيدة والرفاه", "التعليم الجيد",
           "المساواة بين الجنسين", "المياه النظيفة والنظافة الصحية", "طاقة نظيفة وبأسعار معقولة",
           "العمل اللائق ونمو الاقتصاد", "الصناعة والابتكار والهياكل الأساسية", "الحد من أوجه عدم المساواة",
           "مدن ومجتمعات محلية مستدامة", "الاستهلاك والإنتاج المسؤولان", "العمل المناخي", "الحياة تحت الماء",
           "الحياة في البر", "السلام والعدل والمؤسسات القوية", "عقد الشراكات لتحقيق الأهداف"),
}
# "Goal 9: …" as each language writes it (French puts a space before the colon, Chinese a full-width one).
GOAL = {"en": "Goal {n}: {name}", "fr": "Objectif {n} : {name}", "es": "Objetivo {n}: {name}",
        "ru": "Цель {n}: {name}", "zh_Hans": "目标{n}：{name}", "ar": "الهدف {n}: {name}"}
# The abbreviation, for the compact tags and calendar categories: "SDG 9", "ODD 9", "ЦУР 9".
SHORT = {"en": "SDG {n}", "fr": "ODD {n}", "es": "ODS {n}", "ru": "ЦУР {n}", "zh_Hans": "可持续发展目标{n}",
         "ar": "هدف التنمية المستدامة {n}"}


def _language(locale=None) -> str:
    code = str(locale or get_locale() or "en").replace("-", "_")
    return code if code in NAMES else code.split("_")[0] if code.split("_")[0] in NAMES else "en"


def sdg_name(number: int, locale=None) -> str:
    """The goal's UN short name in the reader's language (or locale's): "Industrie, innovation et infrastructure"."""
    return NAMES[_language(locale)][int(number) - 1]


def sdg_title(number: int, locale=None) -> str:
    """"Goal 9: Industry, Innovation and Infrastructure", in the reader's language (or locale's)."""
    language = _language(locale)
    return GOAL[language].format(n=int(number), name=NAMES[language][int(number) - 1])


def sdg_short(number: int, locale=None) -> str:
    """"SDG 9", "ODD 9", "ЦУР 9": the abbreviation the UN uses in the reader's language."""
    return SHORT[_language(locale)].format(n=int(number))
