"""The sample report as structured data: an invented policy brief about an invented country.

Everything here is fiction written for citetrace: the Republic of Lorvane, its regulator, its
utilities, the people, publications, dates and URLs.  The prose is original.

Markup, kept deliberately small so the gold file can be derived from the same strings:

- ``[^key]`` in body text is a note marker; notes are numbered in order of first appearance.
- ``*...*`` toggles italic (in the abstract, which is italic, it toggles back to roman).
- ``{note:key}`` inside a note prints the number of another note (a cross-reference).
- A note whose text is ``Ibid.`` (or starts with ``Ibid.,``) repeats the note before it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bar:
    label: str  # group label under the bars, e.g. "10 m³"
    before: float
    after: float


@dataclass(frozen=True)
class Figure:
    caption: str
    legend: tuple[str, str]
    bars: tuple[Bar, ...]
    y_max: float
    y_step: float


@dataclass(frozen=True)
class PullQuote:
    text: str  # must repeat a sentence of the body verbatim


Block = Heading | Paragraph | Figure | PullQuote


@dataclass(frozen=True)
class Report:
    title: str
    authors: str
    abstract: str
    body: tuple[Block, ...]
    notes: dict[str, str]
    running_header: str
    running_footer: str
    # Words the body may hyphenate at a line end, with their break points shown by "-".
    # Only these are hyphenated, so the break hyphens in the PDF are known exactly.
    hyphenation: tuple[str, ...]


TITLE = "Paying for the Pipes: Lessons from Lorvane’s 2022 Water Tariff Reform"
AUTHORS = "Mira Castellan and Tomas Adeyemi-Roth · October 2024"

ABSTRACT = (
    "In January 2022 the Republic of Lorvane replaced a water tariff that had been frozen for "
    "thirteen years with an increasing block tariff set by a new independent regulator. The "
    "reform was meant to put the country’s fourteen municipal water utilities on a path to full "
    "cost recovery by 2027 while protecting poor households through a cheap lifeline block and a "
    "targeted rebate. This brief reviews the first two and a half years of the reform, drawing on "
    "regulatory filings, audited utility accounts and a household survey commissioned by the "
    "Brennock Institute in the spring of 2024. We find that tariff revenue rose by a third and "
    "that collection improved markedly, but that the lifeline block, defined per connection "
    "rather than per person, shifts costs onto large and crowded households, and that fewer than "
    "two in five eligible families receive the rebate. We recommend a per-person lifeline "
    "allowance, automatic enrollment in the rebate through the social registry, and a legal "
    "ring-fence around tariff revenue so that higher bills visibly buy better service."
)

PULL_QUOTE = (
    "A tariff that is fair to a pensioner living alone can be punishing for a family of seven "
    "sharing one meter."
)

FIGURE_1 = Figure(
    caption=(
        "Figure 1. Monthly water bill of a Port Aldery household at four levels of consumption, "
        "under the 2009 flat tariff and the 2022 block tariff, in crowns. Source: LWRA tariff "
        "schedules; authors’ calculations."
    ),
    legend=("2009 flat tariff", "2022 block tariff"),
    bars=(
        Bar("5 m³", 14.5, 10.5),
        Bar("10 m³", 25.0, 25.0),
        Bar("15 m³", 35.5, 42.0),
        Bar("20 m³", 46.0, 71.0),
    ),
    y_max=80,
    y_step=20,
)

BODY: tuple[Block, ...] = (
    Heading("1. Introduction"),
    Paragraph(
        "Few public services are as politically sensitive as the price of water. The bill arrives "
        "every month, nearly every household pays it, and it is easy to compare with last year’s. "
        "When governments raise it, voters notice at once; when governments hold it down, the "
        "costs are hidden in crumbling pipes, intermittent supply and transfers from the national "
        "budget that could have been spent on something else. The Republic of Lorvane spent the "
        "thirteen years between 2009 and 2021 choosing the second path.[^nso-hbs] By the end of "
        "that period its fourteen municipal water utilities were losing more than two fifths of "
        "the water they treated before it reached a paying customer, and not one of them covered "
        "its operating costs from tariff income.[^lwra-baseline]"
    ),
    Paragraph(
        "In December 2021 the National Assembly passed the Water Services Pricing Act, which took "
        "effect on January 1, 2022.[^act] The Act did three things at once. It transferred the "
        "power to set tariffs from municipal councils to a new national body, the Lorvane Water "
        "Regulatory Authority (LWRA). It replaced the old flat price per cubic metre with an "
        "increasing block tariff, in which the first six cubic metres a household uses each month "
        "are sold at a heavily subsidised lifeline rate and each further block costs more. And it "
        "committed the utilities to a published path toward full cost-recovery by 2027, with the "
        "gap in the meantime covered by a declining transfer from the Ministry of Environment and "
        "Water."
    ),
    Paragraph(
        "This brief asks what the first two and a half years of the reform have achieved and what "
        "should change before the next tariff review, which is scheduled for 2025. It draws on the "
        "regulator’s annual determinations, the audited accounts of the utilities, interviews with "
        "officials and consumer groups, and a survey of 2,140 households that the Brennock "
        "Institute commissioned in March and April 2024.[^survey] Our conclusion, in short, is "
        "that the reform has worked better as a piece of public finance than as a piece of social "
        "policy. Revenues are up, and the financial position of the sector is more transparent "
        "than at any point in the past two decades. But the design of the lifeline block, and the "
        "weak delivery of the rebate meant to protect poor households, have placed the heaviest "
        "burden on the families least able to carry it."
    ),
    Heading("2. Background: A Sector Running on Empty"),
    Paragraph(
        "Lorvane’s water utilities took their present form in 1998, when the national water "
        "company was broken up and its assets were transferred to the municipalities. Each utility "
        "is a limited company wholly owned by its municipal council, and until 2022 each council "
        "approved its own tariff. In practice, approval became a ritual of refusal. Between 2009 "
        "and 2021 not a single council in a city of more than 50,000 people approved a nominal "
        "increase, even though consumer prices rose by 46 percent over the same "
        "period.[^cpi] The real price of a cubic metre of water in the capital, Port Aldery, fell "
        "by almost a third."
    ),
    Paragraph(
        "The consequences built up slowly and then all at once. Because tariff income no longer "
        "covered the cost of chemicals, energy and wages, utilities deferred maintenance, and "
        "deferred maintenance produced leaks. The regulator’s first baseline study estimated that "
        "non-revenue water, the share of treated water lost to leaks, theft or billing errors, "
        "averaged 41 percent across the fourteen utilities in 2020 and exceeded 55 percent in "
        "Kolmarsh and Veyra.[^lwra-baseline-short] The same study found that meters were "
        "installed on only 63 percent of connections, so that most households in the older "
        "districts paid a flat charge estimated from the size of their dwelling.[^ibid-baseline] "
        "A survey of the capital’s network found that more than a quarter of its mains were over "
        "sixty years old.[^pawc-network] In the summer of 2019 parts of Sennfield received piped "
        "water for only nine hours a day for eleven consecutive weeks."
    ),
    Paragraph(
        "Metering was the quieter casualty. The meters installed in the 1990s had reached the end "
        "of their working lives, and utilities without the money to replace them reverted to "
        "billing by estimate. Estimated bills were based on the floor area of a dwelling and the "
        "number of taps recorded when it was first connected, often decades earlier. They bore "
        "little relation to actual use, which undermined both the incentive to save water and the "
        "public’s trust that the bill was fair.[^metering-audit]"
    ),
    Paragraph(
        "The gap was filled from the centre. Transfers from the national budget to the water "
        "sector, mostly in the form of operating subsidies and the assumption of utility debts, "
        "rose from 0.2 percent of gross domestic product in 2012 to 0.7 percent in "
        "2020.[^transfers] These transfers were allocated by negotiation rather than by formula, "
        "which rewarded the utilities that performed worst: the more a utility lost, the stronger "
        "its claim on the next year’s budget. By 2020 the Ministry of Finance was describing the "
        "sector, in a rare moment of bureaucratic candour, as “a standing liability with a water "
        "supply attached,”[^mof-quote] and the Continental Development Bank had made a tariff "
        "reform a condition for the second tranche of its infrastructure loan.[^cdb-loan]"
    ),
    Paragraph(
        "None of this was unusual by regional standards. Several neighbouring countries let their "
        "tariffs erode in much the same way during the 2010s, and the reform debate in Lorvane "
        "borrowed openly from their experience.[^regional] What made the Lorvanian case "
        "distinctive was the speed of the turnaround: in less than two years the country moved "
        "from municipal tariff-setting with no published methodology to a national regulator with "
        "a statutory cost-recovery mandate."
    ),
    Heading("3. What the 2022 Act Changed"),
    Paragraph(
        "The Act rests on three pillars: who sets the price, how the price is structured, and how "
        "fast it may rise. We take each in turn, because the problems that have emerged since "
        "2022 can be traced to specific choices within each of them."
    ),
    Paragraph(
        "*A national regulator.* The LWRA is governed by a five-member board appointed by the "
        "President on the nomination of the Assembly for staggered seven-year terms, and it is "
        "funded by a levy on utility turnover rather than from the state budget.[^act-board] It "
        "sets a maximum tariff for each utility every three years on the basis of a regulatory "
        "asset base, an allowed return, and efficiency targets for operating costs and water "
        "losses. Councils may set tariffs below the cap, but any shortfall must then be met from "
        "the municipal budget rather than by the state. That last clause was the political heart "
        "of the reform, because it ended the automatic bail-out."
    ),
    Paragraph(
        "The arithmetic of the cap matters for everything that follows. The regulator first "
        "estimates the efficient operating costs of each utility, then adds depreciation on its "
        "regulatory asset base and an allowed return of 4.5 percent in real terms on the same "
        "base. The sum, divided by forecast billed volumes, gives the average revenue per cubic "
        "metre that the tariff must raise.[^rab] Two features of this method proved "
        "controversial. Because billed volumes rather than volumes produced enter the "
        "denominator, a utility that reduces its losses is rewarded twice, through lower costs "
        "and through higher sales. And because the asset base was valued for the first time in "
        "2021, the allowed return rests on numbers that nobody outside the regulator has been "
        "able to check."
    ),
    Paragraph(
        "*An increasing block tariff.* Under the old system a household paid a fixed monthly "
        "charge and a single price per cubic metre, whatever it consumed. The new structure has "
        "three blocks. The first 6 m³ per connection per month are sold at 0.9 crowns per cubic "
        "metre, roughly a quarter of the estimated average cost of supply. Consumption between 6 "
        "and 15 m³ is charged at 3.4 crowns, and everything above 15 m³ at 5.8 crowns. The fixed "
        "charge rose from 4 to 6 crowns a month.[^determination] The block prices were calibrated "
        "so that a household using 10 m³ a month, close to the national median, would pay exactly "
        "what it had paid before, namely 25 crowns. Households using less would pay less, while a "
        "household using 20 m³ would see its bill rise from 46 to 71 crowns, an increase of more "
        "than half."
    ),
    FIGURE_1,
    Paragraph(
        "*A path to cost recovery.* The Act requires each utility to recover its operating and "
        "maintenance costs in full by 2025 and its capital costs by 2027.[^act-art12] During the "
        "transition the ministry pays a declining grant, which fell from 60 percent of each "
        "utility’s deficit in 2022 to 40 percent in 2023 and 20 percent in 2024. Because the "
        "tariff cap is reset every three years, the annual increases within a regulatory period "
        "are indexed to inflation and set out in advance. The first period runs from 2022 to 2024."
    ),
    Paragraph(
        "*A targeted rebate.* Recognising that a block tariff defined per connection can penalise "
        "large households, the drafters added a water rebate for families receiving the national "
        "minimum income benefit or a disability pension. Eligible households may claim a 50 "
        "percent reduction on the variable part of their bill, up to 20 m³ a month, on application "
        "to their utility.[^rebate-decree] The rebate is paid by the ministry rather than by other "
        "customers, and its cost was projected at 14 million crowns a year."
    ),
    Heading("4. Early Results, 2022–2024"),
    Paragraph(
        "On its own narrow terms the reform has delivered. Tariff revenue across the fourteen "
        "utilities rose from 412 million crowns in 2021 to 549 million in 2023, an increase of 33 "
        "percent in nominal terms and of about 18 percent after inflation.[^annual-2023] Part of "
        "the increase reflects higher prices for large consumers, but a larger part came from "
        "better collection. Because the regulator’s cap assumes a collection rate of 95 percent, "
        "utilities that collect less must absorb the difference, and most have responded by "
        "pursuing arrears far more energetically than before. The average collection rate rose "
        "from 81 percent in 2021 to 93 percent in 2023.[^ibid-annual]"
    ),
    Paragraph(
        "Consumption has fallen, as the designers of the reform intended. Billed residential "
        "consumption per connection declined by 7 percent between 2021 and 2023, with the largest "
        "falls among households that had previously used more than 20 m³ a month. Some of this "
        "reflects genuine conservation: our survey found that 31 percent of households in the top "
        "block had repaired a leaking tap or cistern since the reform, and 12 percent had "
        "installed a rainwater tank for garden use.[^survey-q22] Some of it, however, reflects "
        "the replacement of estimated bills by metered ones, which tend to be lower for small "
        "households and higher for large ones."
    ),
    Paragraph(
        "For households, the most tangible question is whether the service has improved. The "
        "evidence is mixed but encouraging. The number of customers receiving piped water for "
        "fewer than eighteen hours a day fell from about 140,000 in 2021 to 95,000 in 2023, "
        "mainly because of new pumping and storage capacity in Sennfield.[^service-hours] "
        "Complaints to the regulator about water quality fell by a fifth. Complaints about "
        "billing, on the other hand, nearly tripled, driven by disputes over the first metered "
        "bills and by confusion about the block structure, which many customers told our "
        "interviewers they did not understand."
    ),
    Paragraph(
        "The operating position of the utilities has improved more slowly. Eight of the fourteen "
        "utilities covered their operating and maintenance costs in 2023, up from none in 2021, "
        "and the sector as a whole reached 96 percent operating cost coverage.[^annual-short] "
        "Capital spending doubled, from 61 to 127 million crowns, most of it on mains replacement "
        "and metering in the capital and in Sennfield. Yet non-revenue water fell only from 41 to "
        "37 percent, well short of the regulator’s target of 33 percent for 2024. The utilities "
        "argue that leakage reduction takes years to show up in the figures, which is true; the "
        "regulator’s reply, that several utilities have not yet spent the leakage budgets "
        "included in their allowed costs, is also true.[^lwra-letter]"
    ),
    Paragraph(
        "One result deserves particular emphasis because it was not widely expected. The move "
        "from municipal to national tariff-setting has produced, for the first time, a public and "
        "comparable record of each utility’s costs, losses and service levels. The LWRA’s annual "
        "performance tables, first published in June 2023, show a spread in operating cost per "
        "cubic metre of almost three to one between the most and the least efficient "
        "utilities.[^perf-tables] That information has already changed local politics. In the "
        "2023 municipal elections, candidates in at least four cities campaigned on their "
        "utility’s ranking."
    ),
    Paragraph(
        "These figures should be read with some caution. The first regulatory accounts were "
        "compiled in a hurry, several utilities restated their 2021 results after the first "
        "audit, and the definition of non-revenue water changed in 2023 to include water used "
        "for firefighting and street cleaning.[^restatement] Where the series are affected we "
        "use the restated figures and the old definition throughout, so that the comparisons "
        "between 2021 and 2023 refer to like with like."
    ),
    Heading("5. Who Pays? Affordability and Distribution"),
    Paragraph(
        "The distributional record is less comfortable, and its central flaw is simple to state. "
        "The lifeline block is defined per connection, but water is consumed by people. A "
        "pensioner living alone and a family of seven sharing one meter both receive the same 6 "
        "m³ at the lifeline price. The family therefore reaches the expensive third block at a "
        "level of consumption per person that is below what the national public health guidance "
        "treats as the minimum for drinking, cooking and hygiene.[^health-guidance]"
    ),
    Paragraph(
        "Our survey shows how much this matters. Households of five or more people, who account "
        "for 17 percent of connections but 29 percent of the population, saw their average bill "
        "rise by 38 percent between 2021 and 2024, against 6 percent for all "
        "households.[^survey-tables] Among households in the poorest fifth of the income "
        "distribution, the share spending more than 3 percent of disposable income on water, a "
        "common affordability threshold, rose from 14 to 26 percent.[^threshold] Many of these "
        "households live in the older apartment blocks of Port Aldery and Kolmarsh, where several "
        "families share a single building connection and divide the bill among themselves by "
        "agreement. For the tariff, such a building is one household, however many people live "
        "in it."
    ),
    Paragraph(
        "The collection drive described above has a harder side. Utilities may disconnect a "
        "household after three months of arrears, and the number of disconnections for non-payment "
        "rose from about 2,600 in 2021 to more than 9,800 in 2023. The Ombudsman found that in "
        "a sample of complaints, a third of the disconnected households would have qualified for "
        "the rebate had they applied for it, and that several utilities had cut off supply to "
        "families with infants or with members receiving home dialysis.[^ombudsman] Since then "
        "the regulator has required a written warning and a visit before any disconnection, but "
        "the rule is not yet backed by any penalty."
    ),
    Paragraph(
        "A tariff that is fair to a pensioner living alone can be punishing for a family of seven "
        "sharing one meter. The designers of the reform knew this, and the rebate was supposed to "
        "deal with it. It has not. Of the estimated 61,000 households eligible for the rebate in "
        "2023, only about 23,000, or 38 percent, received it.[^rebate-takeup] Take-up was lowest "
        "where need was greatest. In the shared apartment blocks, where the bill is addressed to a "
        "building manager rather than to the families who pay it, the rebate is almost impossible "
        "to claim. Interviewees described a process that requires a certificate from the social "
        "welfare office, renewed every six months and presented in person at the utility’s "
        "customer office."
    ),
    PullQuote(PULL_QUOTE),
    Paragraph(
        "Rural households face a different problem. About 11 percent of the population is served "
        "not by the municipal utilities but by village water committees, which fall outside the "
        "Act and outside the regulator’s remit. Their tariffs are still set by local assemblies, "
        "their accounts are not published, and their customers cannot claim the "
        "rebate.[^village] The reform has, in other words, left the poorest part of the country "
        "largely untouched, for better and for worse."
    ),
    Paragraph(
        "Public reaction has followed the bills. The Citizens’ Water Forum, a coalition of tenant "
        "associations and consumer groups, organised demonstrations in Port Aldery and Kolmarsh "
        "in the spring of 2023, and its petition calling the block tariff “a tax on thirst” "
        "gathered more than 90,000 signatures.[^petition] Coverage in the national press was "
        "sharply critical,[^press] and in April 2023 the opposition tabled a bill to freeze all "
        "water tariffs at their 2021 levels for two years."
    ),
    Paragraph(
        "It would be easy to read the protests as opposition to paying more for water in general. "
        "The survey suggests otherwise. A clear majority of respondents, 64 percent, agreed that "
        "“utilities need more money to fix the pipes,” and a similar share said they would "
        "accept higher bills if they could see improvements in supply.[^survey-q31] What "
        "respondents rejected was the sense that the burden had been placed on the wrong people, "
        "and that the money was disappearing into the utilities without visible results."
    ),
    Heading("6. Governance and Politics"),
    Paragraph(
        "The first real test of the regulator’s independence came with the opposition’s freeze "
        "bill. The government, holding a narrow majority, declined to support the freeze but "
        "offered a compromise: a one-year pause in the inflation indexation of the two upper "
        "blocks, financed by an increase in the transition grant. The Assembly passed the "
        "compromise in July 2023 by 58 votes to 49.[^vote] The board of the LWRA publicly objected "
        "that the amendment had been adopted without consultation and that it weakened the link "
        "between costs and prices that the Act had been designed to establish."
    ),
    Paragraph(
        "The dispute reached the Constitutional Court, which ruled in February 2024 that the "
        "Assembly may amend the tariff methodology by statute but may not instruct the regulator "
        "on individual tariff decisions.[^court] The ruling was widely reported as a victory for "
        "the regulator, and in a narrow sense it was. In a broader sense it confirmed that the "
        "tariff path remains exposed to ordinary legislation, and that a determined majority can "
        "change it at any time. Investors have noticed. The spread on the bonds issued by the "
        "Port Aldery Water Company widened by about 80 basis points in the weeks after the "
        "compromise passed.[^bonds]"
    ),
    Paragraph(
        "International lenders have been watching the same signals. The Continental Development "
        "Bank released the second tranche of its loan in September 2022, citing the new tariff "
        "structure and the creation of the regulator, but it attached a review clause to the "
        "third tranche that refers explicitly to the cost-recovery path.[^cdb-review] A "
        "government that reopened the tariff path for short-term political reasons would "
        "therefore risk not only the credibility of its regulator but also about 140 million "
        "crowns of concessional finance earmarked for mains replacement and wastewater treatment."
    ),
    Paragraph(
        "Municipal councils, meanwhile, have discovered that the loss of tariff-setting power has "
        "not freed them from blame. Voters do not distinguish between the regulator that sets the "
        "cap and the council that owns the utility. Several mayors have responded by setting "
        "tariffs below the cap and absorbing the shortfall from local budgets, a practice the Act "
        "permits but which reproduces, on a smaller scale, the hidden subsidies that the reform "
        "was meant to end.[^mayors] In 2024, four of the fourteen utilities charged less than the "
        "maximum allowed by the regulator."
    ),
    Paragraph(
        "A less visible constraint is capacity. The LWRA began work with eleven staff and a budget "
        "fixed before the scale of its task was understood. By the middle of 2024 it employed "
        "thirty-four people, of whom nine were engineers or economists with experience of network "
        "regulation. Its first tariff determination relied heavily on data supplied by the "
        "utilities themselves, several of which had never produced a regulatory account before, "
        "and the regulator’s own review acknowledges that the asset valuations used in 2022 may be "
        "wrong by as much as 25 percent in either direction.[^capacity]"
    ),
    Heading("7. Recommendations"),
    Paragraph(
        "The next tariff review, due to be completed in the autumn of 2025, is the natural moment "
        "to correct the reform’s distributional flaws without abandoning its financial logic. We "
        "make five recommendations, in roughly descending order of urgency."
    ),
    Paragraph(
        "*First, define the lifeline block per person, not per connection.* The regulator should "
        "replace the fixed 6 m³ lifeline block with an allowance of 1.5 m³ per registered "
        "resident, with a minimum of 3 m³ per connection. The civil registry already records the "
        "number of residents at each address, and utilities in two neighbouring countries have "
        "run such systems for more than a decade.[^percapita] Our simulations suggest that a "
        "per-person block, priced so as to leave total revenue unchanged, would reduce the average "
        "bill of households of five or more people by about 18 percent and raise the bills of "
        "single-person households by about 4 percent.[^simulation]"
    ),
    Paragraph(
        "*Second, make the rebate automatic.* Eligibility for the rebate depends on status in the "
        "national social registry, which the ministry already shares with the tax authority and "
        "the energy regulator. There is no reason why the same data exchange cannot be used to "
        "apply the rebate automatically to every eligible household, including those behind shared "
        "connections, where the rebate could be credited to the building account and passed on by "
        "the building manager. The electricity sector made exactly this change in 2020 and saw "
        "take-up of its social tariff rise from about half to over 90 percent within a "
        "year.[^energy]"
    ),
    Paragraph(
        "*Third, ring-fence tariff revenue.* Part of the public anger at higher bills stems from "
        "the suspicion that the money is not reaching the pipes. The Act should be amended to "
        "require that any revenue above the regulator’s allowed operating costs be spent on "
        "capital works listed in a published investment plan, with unspent amounts carried "
        "forward and reported each year. This would make visible the link between what households "
        "pay and the improvements they receive."
    ),
    Paragraph(
        "*Fourth, tie the transition grant to performance.* The declining transition grant "
        "currently rewards every utility equally for being in deficit. From 2025 it should be paid "
        "partly against measurable progress on water losses and collection, using the indicators "
        "that the regulator already publishes in its performance tables. That would restore the "
        "incentive, weakened by the 2023 compromise, for utilities to close the gap by becoming "
        "more efficient rather than by waiting for the next political rescue."
    ),
    Paragraph(
        "*Fifth, protect the regulator’s independence in law.* The ruling of the Constitutional "
        "Court leaves the tariff methodology open to amendment by a simple majority. A requirement "
        "that any statutory change to the methodology be preceded by a public consultation run by "
        "the regulator, and take effect only at the start of the next regulatory period, would "
        "preserve the Assembly’s ultimate authority while removing the temptation to adjust "
        "tariffs in response to each season’s headlines.[^principles]"
    ),
    Paragraph(
        "These measures reinforce one another. A per-person lifeline and an automatic rebate "
        "would remove the most visible unfairness of the present tariff, which is what drives the "
        "political pressure on the regulator. A ring-fence and a performance-linked grant would "
        "make the case for cost-recovery tariffs easier to argue in public, because households "
        "would be able to see what the extra money buys. None of them requires additional "
        "spending from the state budget beyond the administrative cost of the data exchange."
    ),
    Heading("8. Conclusion"),
    Paragraph(
        "Lorvane’s reform has shown that a country can move quickly from frozen prices to a "
        "rule-based tariff without a collapse in public willingness to pay for water. It has also "
        "shown how much depends on details that rarely feature in the argument over whether "
        "tariffs should rise at all: how a lifeline block is defined, who has to apply for a "
        "rebate, and whether people can see what their money buys. The decisions taken in the "
        "2025 review will decide whether the reform is remembered as the moment the country "
        "finally paid for its pipes, or as one more episode in which the cost of fixing them fell "
        "on those least able to bear it."
    ),
)

NOTES: dict[str, str] = {
    "nso-hbs": (
        "National Statistics Office of Lorvane, *Household Budget Survey 2021: Utilities and "
        "Housing Costs* (Port Aldery: NSO, 2022), 44–46, "
        "https://www.nso.gov.lo/en/publications/household-budget-survey-2021-utilities-and-housing-costs.pdf."
    ),
    "lwra-baseline": (
        "Lorvane Water Regulatory Authority (LWRA), “Baseline Study of the Municipal Water "
        "Utilities, 2016–2020,” Technical Report TR-2022-01, March 3, 2022, 9–14, "
        "https://www.lwra.gov.lo/documents/technical-reports/TR-2022-01-baseline-study-municipal-water-utilities.pdf."
    ),
    "act": (
        "Water Services Pricing Act (Act No. 31 of 2021), *Official Gazette of the Republic of "
        "Lorvane*, no. 88, December 17, 2021, arts. 2–9 and 41."
    ),
    "survey": (
        "The survey was carried out for the Brennock Institute by Meridia Field Research between "
        "March 11 and April 19, 2024, using a stratified random sample of 2,140 households served "
        "by eleven of the fourteen utilities. Interviews were conducted face to face, and the "
        "response rate was 58 percent. Weights correct for the deliberate over-sampling of "
        "households in the lowest consumption and income groups. The questionnaire, the weighting "
        "procedure and the anonymised microdata are available from the authors on request; "
        "summary tables are published at "
        "https://www.brennock-institute.org/research/water-tariff-household-survey-2024/summary-tables."
    ),
    "cpi": (
        "National Statistics Office of Lorvane, “Consumer Price Index, Annual Averages "
        "2005–2023,” statistical release, January 26, 2024; calculations by the authors."
    ),
    "lwra-baseline-short": "LWRA, “Baseline Study,” 17–19.",
    "ibid-baseline": "Ibid.",
    "pawc-network": (
        "Port Aldery Water Company, *Asset Condition Survey of the Distribution Network* (Port "
        "Aldery: PAWC, 2020), 5."
    ),
    "metering-audit": (
        "State Audit Office of Lorvane, “Audit of Metering and Billing Practices in Municipal "
        "Water Utilities,” Audit Report 7/2019, September 30, 2019, 11–15, "
        "https://www.sao.gov.lo/reports/2019/audit-report-7-2019-metering-billing-municipal-water.pdf."
    ),
    "transfers": (
        "Ministry of Finance, *Fiscal Risks Statement 2021* (Port Aldery, 2021), 31–33; "
        "Continental Development Bank, *Lorvane: Public Expenditure Review of the Water Sector* "
        "(Valmont: CDB, 2021), 22–27."
    ),
    "mof-quote": "Ministry of Finance, *Fiscal Risks Statement 2021*, 32.",
    "cdb-loan": (
        "Continental Development Bank, “Program Document for a Proposed Second Tranche of the "
        "Municipal Infrastructure Loan to the Republic of Lorvane,” Report No. P-4471-LO, "
        "November 8, 2020, annex 2, "
        "https://documents.cdb-bank.org/lending/lorvane/P4471LO/municipalinfrastructureloansecondtrancheprogramdocument.pdf."
    ),
    "regional": (
        "For comparative accounts see Halina Markovic and Peter Osei, “Frozen Tariffs and Failing "
        "Networks: Water Pricing in Transition Economies, 2008–2018,” *Journal of Utility Policy* "
        "14, no. 2 (2019): 113–38; Anja Lindqvist, *Water and the Ballot Box: The Political "
        "Economy of Tariff Reform* (Northgate: Riverbend Press, 2020), chap. 4; and Regional Water "
        "Regulators Network, “Tariff Reform Case Studies,” June 2021, "
        "https://www.rwrn.org/case-studies/tariff-reform-2021."
    ),
    "act-board": "Water Services Pricing Act, arts. 14–22.",
    "rab": (
        "LWRA, “Methodology for Setting Maximum Water Tariffs,” Decision D-2021-03, June 30, "
        "2021, sections 4–6; the allowed return is discussed in LWRA, “Cost of Capital for the "
        "First Regulatory Period: Final Decision,” August 2021, "
        "https://www.lwra.gov.lo/decisions/D-2021-07-cost-of-capital-first-regulatory-period.pdf."
    ),
    "determination": (
        "LWRA, “Final Determination on Maximum Water Tariffs for the Regulatory Period "
        "2022–2024,” Decision D-2021-14, November 22, 2021, tables 3 and 5, "
        "https://www.lwra.gov.lo/decisions/D-2021-14-final-determination-maximum-tariffs-2022-2024."
    ),
    "act-art12": (
        "Water Services Pricing Act, art. 12(1)–(3); Ministry of Environment and Water, "
        "“Regulation on the Transition Grant for Water Utilities,” Regulation No. 5/2022, "
        "February 1, 2022."
    ),
    "rebate-decree": (
        "Government Decree No. 212 on the Water Rebate for Vulnerable Households, January 14, "
        "2022, arts. 2–6. The projected cost is taken from the explanatory memorandum to the "
        "decree, 3."
    ),
    "annual-2023": (
        "LWRA, *Annual Report on the Performance of Water Utilities 2023* (Port Aldery: LWRA, "
        "June 2024), 18–21, "
        "https://www.lwra.gov.lo/documents/annual-reports/annualperformancereport2023.pdf."
    ),
    "ibid-annual": "Ibid., 27.",
    "survey-q22": (
        "Brennock Institute household survey 2024, question 22; on the method see note "
        "{note:survey} above."
    ),
    "service-hours": (
        "LWRA, *Annual Report 2023*, 33–35; Sennfield Water and Sewerage Company, “Completion of "
        "the Northern Reservoir and Pumping Station,” press release, August 14, 2023."
    ),
    "annual-short": "LWRA, *Annual Report 2023*, 40–44.",
    "lwra-letter": (
        "Letter from the chair of the LWRA board to the Association of Municipal Water "
        "Utilities, “Expenditure on Leakage Reduction in the First Regulatory Period,” May 29, "
        "2024, https://www.lwra.gov.lo/correspondence/2024/letter-amwu-leakage-expenditure-29-may-2024.pdf."
    ),
    "perf-tables": (
        "LWRA, “Comparative Performance Tables for Municipal Water Utilities,” first edition, "
        "June 12, 2023, "
        "https://www.lwra.gov.lo/data/performancetables/2023/comparativeperformancemunicipalwaterutilities.xlsx."
    ),
    "restatement": (
        "LWRA, *Annual Report 2023*, annex B, “Restatements and Changes of Definition”; State "
        "Audit Office of Lorvane, “Audit of the First Regulatory Accounts of the Municipal Water "
        "Utilities,” Audit Report 3/2023, March 17, 2023."
    ),
    "health-guidance": (
        "National Institute of Public Health, *Guidance on Minimum Household Water "
        "Requirements*, 2nd ed. (Port Aldery: NIPH, 2018), 6–9, which sets a minimum of 50 "
        "litres per person per day for basic needs."
    ),
    "survey-tables": (
        "Brennock Institute household survey 2024, tables B4–B7. Bills are compared for the same "
        "months of each year to avoid seasonal effects."
    ),
    "ombudsman": (
        "Office of the Public Ombudsman, *Special Report on Disconnections of Water Supply for "
        "Non-Payment* (Port Aldery, December 2023), 12–19, "
        "https://www.ombudsman.gov.lo/special-reports/2023/disconnections-water-supply-non-payment. "
        "The disconnection figures are from LWRA, *Annual Report 2023*, 52."
    ),
    "threshold": (
        "The 3 percent threshold is widely used by regulators and lenders; see Continental "
        "Development Bank, *Affordability of Utility Services: A Guidance Note* (Valmont: CDB, "
        "2018), 12; Markovic and Osei, “Frozen Tariffs and Failing Networks,” 127–29."
    ),
    "rebate-takeup": (
        "Ministry of Environment and Water, written answer to parliamentary question No. "
        "1187/2023, October 5, 2023; the eligible population is our estimate from the social "
        "registry figures in Ministry of Labour and Social Affairs, *Statistical Bulletin 2023*, "
        "table 6.2."
    ),
    "village": (
        "Ministry of Environment and Water, *Rural Water Supply Strategy 2020–2030* (Port Aldery, "
        "2020), 8–10; National Statistics Office of Lorvane, *Census of Population and Housing "
        "2021*, vol. 3, table 14."
    ),
    "petition": (
        "Citizens’ Water Forum, “No to a Tax on Thirst: Petition to the National Assembly,” "
        "April 2023, https://www.citizenswaterforum.org/campaigns/no-to-a-tax-on-thirst-petition. "
        "The petition closed on May 31, 2023, with 91,418 signatures."
    ),
    "press": (
        "See, for example, Teodor Brask, “Water Bills Soar for Large Families,” *The Aldery "
        "Courier*, March 3, 2023; “Who Pays for the Leaks?,” editorial, *Lorvane Daily Ledger*, "
        "March 9, 2023; and Nadia Ferenc, “Rebate Scheme Reaches Fewer Than Half of Eligible "
        "Families,” *The Aldery Courier*, November 21, 2023, "
        "https://www.aldery-courier.com/economy/2023/11/21/rebate-scheme-reaches-fewer-than-half-of-eligible-families."
    ),
    "survey-q31": "Brennock Institute household survey 2024, questions 31 and 34.",
    "vote": (
        "National Assembly of Lorvane, Act Amending the Water Services Pricing Act (Act No. 19 "
        "of 2023), adopted July 6, 2023; for the vote see *Stenographic Record of the 42nd "
        "Session*, 113–17."
    ),
    "court": (
        "Constitutional Court of Lorvane, Decision U-7/23 on the Act Amending the Water Services "
        "Pricing Act, February 15, 2024, paras. 38–52, "
        "https://www.constitutionalcourt.gov.lo/decisions/2024/U-7-23."
    ),
    "bonds": (
        "Authors’ calculations from daily closing yields on the PAWC 2031 bond and the Lorvane "
        "government 2031 bond published by the Port Aldery Stock Exchange, June 1 to September "
        "30, 2023."
    ),
    "cdb-review": (
        "Continental Development Bank, “Lorvane: Municipal Infrastructure Loan, Release of Second "
        "Tranche,” press release, September 19, 2022; Continental Development Bank, “Loan "
        "Agreement Amendment No. 2,” schedule 4, paragraph 7."
    ),
    "mayors": (
        "Interviews with officials of three municipal councils, Port Aldery and Kolmarsh, May "
        "2024; LWRA, “Comparative Performance Tables,” 2024 edition, sheet 3."
    ),
    "capacity": (
        "LWRA, *Annual Report 2023*, 5–7 and 61; LWRA, “Review of the Regulatory Asset Base "
        "Methodology: Consultation Paper,” CP-2024-02, April 2024, 14."
    ),
    "percapita": (
        "On per-person lifeline allowances elsewhere in the region see Lindqvist, *Water and the "
        "Ballot Box*, 141–59; Regional Water Regulators Network, “Tariff Reform Case Studies.”"
    ),
    "simulation": (
        "The simulation applies the block prices of the 2024 tariff to the metered consumption "
        "and registered household size of the survey households, and rescales the prices of the "
        "second and third blocks so that total revenue is unchanged. Full results, including the "
        "effect on each utility and each income group, are given in an online appendix at "
        "https://www.brennock-institute.org/research/water-tariff-reform-lorvane/appendix-per-person-lifeline-simulation. "
        "The estimates do not allow for any change in consumption in response to the new prices. "
        "Because large households are the ones whose marginal price would fall, this probably "
        "overstates slightly the loss of revenue from the second block."
    ),
    "energy": (
        "Energy Regulatory Office of Lorvane, *Report on the Automatic Social Tariff: The First "
        "Year* (Port Aldery: ERO, 2021), 4."
    ),
    "principles": (
        "Continental Development Bank, *Principles for the Regulation of Water and Sanitation "
        "Services* (Valmont: CDB, 2017), principle 3; Lindqvist, *Water and the Ballot Box*, "
        "201–4."
    ),
}

HYPHENATION = (
    "infra-struc-ture",
    "con-sump-tion",
    "house-holds",
    "house-hold",
    "util-ities",
    "util-ity",
    "regu-lator",
    "regu-lator’s",
    "regu-latory",
    "munic-ipal",
    "munic-ipal-ities",
    "dis-tri-bu-tional",
    "dis-tri-bu-tion",
    "afford-ability",
    "trans-ferred",
    "in-creas-ing",
    "main-te-nance",
    "per-formance",
    "en-er-get-ically",
    "in-struct",
    "method-ology",
    "cal-i-brated",
    "pen-sioner",
    "ap-pli-ca-tion",
    "in-di-ca-tors",
    "in-de-pen-dence",
    "con-sul-ta-tion",
    "apart-ment",
    "de-mon-stra-tions",
    "com-mit-ted",
    "con-di-tion",
    "trans-par-ent",
    "govern-ment",
    "leg-is-la-tion",
    "de-ter-mi-na-tion",
    "sub-sidised",
    "con-sumer",
    "im-prove-ments",
    "dis-tin-guish",
    "ad-min-is-tra-tive",
    "na-tional",
    "op-er-at-ing",
    "life-line",
    "con-nec-tion",
    "es-ti-mated",
    "four-teen",
    "pub-lished",
    "min-istry",
    "fam-ilies",
    "in-crease",
    "col-lec-tion",
    "build-ing",
    "as-sem-bly",
    "pro-duced",
    "po-lit-ical",
    "tran-si-tion",
    "cus-tomers",
    "ma-jor-ity",
    "com-pro-mise",
    "trans-fers",
    "coun-cils",
    "au-thor-ity",
    "de-clin-ing",
    "ac-counts",
    "in-stalled",
    "con-nec-tions",
    "au-to-matic",
    "ef-fi-cient",
    "struc-ture",
    "re-quires",
    "in-fla-tion",
    "re-ceiv-ing",
    "el-i-gi-ble",
    "re-flects",
    "re-place-ment",
    "com-plaints",
    "spend-ing",
    "ser-vices",
    "gov-ern-ments",
    "cus-tomer",
    "con-clu-sion",
    "fi-nan-cial",
    "po-si-tion",
    "ap-proved",
    "prac-tice",
    "de-ferred",
    "dwell-ing",
    "re-ceived",
    "me-ter-ing",
    "in-cen-tive",
    "sub-si-dies",
    "re-warded",
    "at-tached",
    "con-ti-nen-tal",
    "de-vel-op-ment",
    "neigh-bour-ing",
    "coun-tries",
    "ex-pe-ri-ence",
    "statu-tory",
    "short-fall",
    "every-thing",
    "con-sumed",
    "re-duc-tion",
    "re-sponded",
    "de-sign-ers",
    "de-clined",
    "im-proved",
    "ca-pac-ity",
    "cov-er-age",
    "pol-i-tics",
    "re-stated",
    "def-i-ni-tion",
    "there-fore",
    "pop-u-la-tion",
    "them-selves",
    "de-scribed",
    "pun-ish-ing",
    "op-po-si-tion",
    "re-spon-dents",
    "amend-ment",
    "weak-ened",
    "con-sti-tu-tional",
    "de-ci-sions",
    "re-ported",
    "rec-om-men-da-tions",
    "reg-istry",
    "ex-change",
    "in-tro-duc-tion",
    "po-lit-i-cally",
    "sen-si-tive",
    "crum-bling",
    "in-ter-mit-tent",
    "some-thing",
    "re-pub-lic",
    "thir-teen",
    "choos-ing",
    "de-cem-ber",
    "re-placed",
    "mean-time",
    "trans-fer",
    "en-vi-ron-ment",
    "sched-uled",
    "de-ter-mi-na-tions",
    "in-ter-views",
    "of-fi-cials",
    "com-mis-sioned",
    "rev-enues",
    "de-liv-ery",
    "heav-i-est",
    "back-ground",
    "ap-proval",
    "con-se-quences",
    "chem-i-cals",
    "base-line",
    "av-er-aged",
    "ex-ceeded",
    "dis-tricts",
    "con-sec-u-tive",
    "ca-su-alty",
    "re-verted",
    "es-ti-mate",
    "re-corded",
    "con-nected",
    "re-la-tion",
    "un-der-mined",
    "as-sump-tion",
    "do-mes-tic",
    "al-lo-cated",
    "ne-go-ti-a-tion",
    "per-formed",
    "de-scrib-ing",
    "bu-reau-cratic",
    "stand-ing",
    "li-a-bil-ity",
    "re-gional",
    "stan-dards",
    "bor-rowed",
    "dis-tinc-tive",
    "turn-around",
    "struc-tured",
    "prob-lems",
    "spe-cific",
    "gov-erned",
    "ap-pointed",
    "pres-i-dent",
    "nom-i-na-tion",
    "stag-gered",
    "turn-over",
    "ef-fi-ciency",
    "arith-metic",
    "es-ti-mates",
    "de-pre-ci-a-tion",
    "fore-cast",
    "fea-tures",
    "con-tro-ver-sial",
    "de-nom-i-na-tor",
    "what-ever",
    "re-cov-ery",
    "in-creases",
    "tar-geted",
    "recog-nis-ing",
    "pe-nalise",
    "draft-ers",
    "dis-abil-ity",
    "vari-able",
    "pro-jected",
    "de-liv-ered",
    "con-sumers",
    "dif-fer-ence",
    "pur-su-ing",
    "in-tended",
    "res-i-den-tial",
    "pre-vi-ously",
    "con-ser-va-tion",
    "re-paired",
    "rain-wa-ter",
    "tan-gi-ble",
    "ques-tion",
    "ev-i-dence",
    "en-cour-ag-ing",
    "eigh-teen",
    "dis-putes",
    "con-fu-sion",
    "in-ter-view-ers",
    "un-der-stand",
    "in-cluded",
    "de-serves",
    "par-tic-u-lar",
    "em-pha-sis",
    "ex-pected",
    "com-pa-ra-ble",
    "in-for-ma-tion",
    "elec-tions",
    "can-di-dates",
    "cam-paigned",
    "com-piled",
    "fire-fight-ing",
    "clean-ing",
    "af-fected",
    "through-out",
    "com-par-isons",
    "com-fort-able",
    "ex-pen-sive",
    "guid-ance",
    "drink-ing",
    "dis-pos-able",
    "thresh-old",
    "agree-ment",
    "dis-con-nect",
    "dis-con-nec-tions",
    "om-buds-man",
    "dis-con-nected",
    "qual-i-fied",
    "dial-y-sis",
    "re-quired",
    "dis-con-nec-tion",
    "sup-posed",
    "great-est",
    "ad-dressed",
    "im-pos-si-ble",
    "in-ter-vie-wees",
    "cer-tifi-cate",
    "pre-sented",
    "dif-fer-ent",
    "com-mit-tees",
    "as-sem-blies",
    "un-touched",
    "re-ac-tion",
    "fol-lowed",
    "coali-tion",
    "as-so-ci-a-tions",
    "or-gan-ised",
    "pe-ti-tion",
    "gath-ered",
    "sig-na-tures",
    "crit-i-cal",
    "sug-gests",
    "oth-er-wise",
    "re-jected",
    "dis-ap-pear-ing",
    "gov-er-nance",
    "in-dex-a-tion",
    "fi-nanced",
    "pub-licly",
    "ob-jected",
    "de-signed",
    "es-tab-lish",
    "feb-ru-ary",
    "in-di-vid-ual",
    "con-firmed",
    "or-di-nary",
    "de-ter-mined",
    "in-vestors",
    "in-ter-na-tional",
    "watch-ing",
    "re-leased",
    "sep-tem-ber",
    "cre-ation",
    "ex-plic-itly",
    "re-opened",
    "cred-i-bil-ity",
    "con-ces-sional",
    "ear-marked",
    "waste-wa-ter",
    "treat-ment",
    "mean-while",
    "dis-cov-ered",
    "ab-sorb-ing",
    "re-pro-duces",
    "con-straint",
    "un-der-stood",
    "em-ployed",
    "en-gi-neers",
    "econ-o-mists",
    "reg-u-la-tion",
    "sup-plied",
    "ac-knowl-edges",
    "val-u-a-tions",
    "di-rec-tion",
    "com-pleted",
    "aban-don-ing",
    "de-scend-ing",
    "al-lowance",
    "reg-is-tered",
    "res-i-dent",
    "res-i-dents",
    "sim-u-la-tions",
    "un-changed",
    "el-i-gi-bil-ity",
    "au-to-mat-i-cally",
    "in-clud-ing",
    "cred-ited",
    "elec-tric-ity",
    "sus-pi-cion",
    "reach-ing",
    "in-vest-ment",
    "cur-rently",
    "mea-sur-able",
    "pub-lishes",
    "be-com-ing",
    "re-quire-ment",
    "pre-ceded",
    "pre-serve",
    "ul-ti-mate",
    "re-mov-ing",
    "temp-ta-tion",
    "re-sponse",
    "head-lines",
    "mea-sures",
    "re-in-force",
    "un-fair-ness",
    "pres-sure",
    "ad-di-tional",
    "col-lapse",
    "will-ing-ness",
    "ar-gu-ment",
    "re-mem-bered",
)

REPORT = Report(
    title=TITLE,
    authors=AUTHORS,
    abstract=ABSTRACT,
    body=BODY,
    notes=NOTES,
    running_header="Paying for the Pipes: Lorvane’s Water Tariff Reform",
    running_footer="Brennock Institute for Public Finance · Policy Brief No. 17 · October 2024",
    hyphenation=HYPHENATION,
)
