"""Built-in word lists of the benchmark corpus generator (see bench.generate).

Everything here was written for this project: common French words and
phrases of news copy, invented people, real city names. When the real
stories of ``../shared/realdata/`` are present, the generator takes its
vocabulary and length statistics from them at run time instead (and never
stores their text); these lists are the fallback, and the source of names,
places and credits in both cases.
"""

from __future__ import annotations

# Function words and short expressions, most frequent first (Zipf weights
# are given by rank in bench.generate).
FUNCTION_CHUNKS = """
de|la|le|à|les|et|des|en|du|un|a|que|pour|dans|une|qui|au|par|sur|pas|est|plus|ont|ne|avec|été|se|son
|il|ce|sont|aux|ou|sa|mais|ses|elle|a été|d'un|d'une|l'an|selon|leur|a indiqué|a déclaré|a annoncé
|ans|cette|entre|après|lors de|contre|depuis|avait|ils|comme|également|sous|deux|trois|aussi|encore
|tout|où|dont|leurs|fait|être|avoir|alors que|tandis que|ainsi que|selon les|selon le|a-t-il dit
|a-t-elle déclaré|a-t-il ajouté|a-t-il précisé|a souligné|a expliqué|a affirmé|a estimé|a rappelé
|ont été|sera|seront|doit|doivent|pourrait|devrait|avant|pendant|vers|sans|chez|jusqu'à|près de
|plusieurs|certains|quelques|autres|notamment|toutefois|cependant|ainsi|déjà|toujours|jamais|très
|lui|y|on|nous|vous|cela|ceux|celle|celui|ces|cet|même|mêmes|aucun|chaque|tous|toutes|moins|bien
|l'a|n'a|n'est|qu'il|qu'elle|c'est|s'est|s'agit|d'autres|l'un|l'une|jusqu'au|lorsqu'il|puisqu'il
|au cours de|à la suite de|en raison de|dans le cadre de|à partir de|au moins|plus de|moins de
|environ|quelque|un peu|beaucoup|dernier|dernière|prochain|prochaine|premier|première|nouveau|nouvelle
""".replace("\n", "").split("|")

# Content words and phrases of news copy, roughly by frequency.
CONTENT_CHUNKS = """
gouvernement|président|ministre|pays|millions|France|Etat|État|mardi|mercredi|jeudi|vendredi|lundi
|samedi|dimanche|année|Premier ministre|milliards|euros|dollars|police|pouvoir|accord|élection
|élections|partie|groupe|Union européenne|Etats-Unis|États-Unis|personnes|président de la République
|ministère|autorités|opposition|parti|sécurité|situation|question|projet|armée|forces|droits de l'homme
|conseil|Conseil de sécurité|Nations unies|ONU|OTAN|politique|économie|économique|croissance|marché
|marchés|banque|Banque centrale européenne|BCE|taux|inflation|chômage|emploi|entreprises|entreprise
|société|secteur|industrie|production|prix|hausse|baisse|recul|progression|milliard|budget|déficit
|dette|impôts|réforme|réformes|loi|projet de loi|Assemblée nationale|Sénat|Parlement|députés|sénateurs
|vote|scrutin|campagne|candidat|candidate|candidats|sondage|majorité|coalition|gauche|droite|centre
|syndicats|grève|manifestation|manifestants|manifestations|rassemblement|colère|tensions|crise
|conflit|guerre|paix|négociations|pourparlers|sommet|rencontre|visite|diplomatie|diplomates
|ambassadeur|ambassade|sanctions|embargo|frontière|frontières|réfugiés|migrants|immigration|asile
|attentat|attentats|attaque|attaques|explosion|kamikaze|terroristes|terrorisme|jihadistes|Etat islamique
|l'Etat islamique|l'État islamique|rebelles|insurgés|combattants|soldats|militaires|frappes aériennes
|frappes|bombardements|offensive|opération militaire|cessez-le-feu|trêve|victimes|morts|blessés|bilan
|bilan provisoire|tués|tuées|otages|enlèvement|prisonniers|justice|tribunal|procès|juge|juges|enquête
|enquêteurs|procureur|parquet|avocat|avocats|condamné|condamnée|peine|prison|mis en examen|plainte
|accusations|corruption|fraude|scandale|démission|nomination|porte-parole|communiqué|conférence de presse
|déclaration|entretien|interview|télévision|radio|presse|journalistes|journal|réseaux sociaux|internet
|santé|hôpital|hôpitaux|médecins|patients|épidémie|virus|vaccin|maladie|malades|décès|population
|habitants|ville|villes|région|régions|province|capitale|village|quartier|commune|département|territoire
|pétrole|gaz|énergie|électricité|nucléaire|centrale nucléaire|énergies renouvelables|climat|réchauffement
|émissions|environnement|pollution|tempête|tempêtes|inondations|séisme|tremblement de terre|incendie
|incendies|sécheresse|pluies|neige|ouragan|cyclone|typhon|secours|pompiers|sauveteurs|évacuation
|éducation|école|écoles|élèves|enseignants|université|étudiants|recherche|chercheurs|scientifiques
|culture|festival|film|cinéma|musique|livre|exposition|musée|artiste|œuvre|œuvres|cœur|sœur|théâtre
|sport|football|match|équipe|joueurs|entraîneur|championnat|Coupe du monde|Jeux olympiques|victoire
|défaite|finale|médaille|record|saison|club|supporteurs|stade|transport|transports|trains|avion|avions
|aéroport|compagnie aérienne|vols|routes|automobile|voitures|constructeur|chantier|logement|loyers
|agriculture|agriculteurs|éleveurs|récolte|blé|lait|viande|pêche|pêcheurs|commerce|exportations
|importations|douanes|tarifs douaniers|investissements|investisseurs|Bourse|actions|bénéfice|chiffre d'affaires
|résultats|trimestre|semestre|prévisions|perspectives|analystes|consommateurs|consommation|ménages
|salaires|retraites|retraite|pension|allocations|aides|subventions|fonds|plan de relance|relance
|Syrie|Russie|Ukraine|Chine|Iran|Irak|Israël|Palestiniens|Liban|Egypte|Égypte|Turquie|Allemagne
|Italie|Espagne|Royaume-Uni|Belgique|Suisse|Grèce|Pologne|Japon|Inde|Afrique|Mali|Niger|Nigeria
|Algérie|Maroc|Tunisie|Libye|Sénégal|Côte d'Ivoire|Congo|Afghanistan|Pakistan|Corée du Nord|Brésil
|Mexique|Venezuela|Canada|Québec|Europe|Moyen-Orient|Asie|Amérique latine|Bruxelles|Kremlin
|Maison Blanche|Elysée|Élysée|Matignon|Bundestag|Commission européenne|FMI|Banque mondiale|OMS
|Croix-Rouge|ONG|Observatoire syrien des droits de l'homme|OSDH|Hezbollah|Hamas|talibans|Al-Qaïda
|Daïr az Zour|Alep|Damas|Mossoul|Gaza|Cisjordanie|Crimée|Donbass|Sahel|Kurdes|chiites|sunnites
|chrétiens|musulmans|religion|église|mosquée|pape|Vatican|femmes|hommes|enfants|jeunes|familles
|citoyens|électeurs|militants|responsables|dirigeants|chef de l'Etat|chef de l'État|chef du gouvernement
|ministre des Affaires étrangères|ministre de l'Intérieur|ministre de la Défense|ministre des Finances
|secrétaire général|directeur général|PDG|porte-parole du gouvernement|haut responsable|experts
|observateurs|témoins|sources|source proche du dossier|selon une source|selon des sources|officiel
|officiels|officielle|annonce|décision|mesures|mesure|objectif|objectifs|programme|stratégie|plan
|rapport|étude|chiffres|données|statistiques|pourcentage|nombre|niveau|hausse de|baisse de|record historique
|mois|semaine|semaines|jours|jour|heures|soir|matin|nuit|week-end|lendemain|veille|début|fin|fin de semaine
|international|internationale|internationaux|national|nationale|nationaux|européen|européenne|européens
|américain|américaine|américains|russe|russes|chinois|chinoise|français|française|françaises|allemand
|allemande|britannique|britanniques|italien|italienne|espagnol|syrien|syrienne|syriens|iranien|iranienne
|israélien|israélienne|palestinien|palestinienne|turc|turque|ukrainien|ukrainienne|africain|africaine
|grand|grande|grands|grandes|important|importante|importants|principal|principale|possible|nécessaire
|difficile|fort|forte|lourd|lourde|grave|graves|violent|violente|violents|violences|sérieux|nouveaux
|nouvelles|anciens|ancien|ancienne|jeune|seul|seule|dernier|derniers|dernières|premiers|premières
|annoncé|décidé|affirmé|estimé|indiqué|expliqué|précisé|souligné|rappelé|ajouté|assuré|dénoncé|démenti
|confirmé|reconnu|accusé|appelé|demandé|exigé|promis|prévu|lancé|signé|adopté|rejeté|approuvé|voté
|présenté|publié|ouvert|fermé|suspendu|reporté|annulé|arrêté|interpellé|libéré|blessé|tué|détruit
|touché|frappé|visé|menacé|renforcé|réduit|augmenté|atteint|dépassé|enregistré|perdu|gagné|remporté
|réuni|rencontré|discuté|négocié|conclu|obtenu|reçu|envoyé|déployé|retiré|évacué|sauvé|retrouvé
""".replace("\n", "").split("|")

# Words that, written without the accents they take, are what users type.
FIRST_NAMES = """
Jean|Marie|Pierre|Sophie|Claire|Nicolas|Julien|Camille|Hélène|Stéphane|Jérôme|Frédéric|Élise|Benoît
|Gaëlle|Loïc|Anaïs|Noémie|Chloé|Zoé|Raphaël|Joël|Maël|Hervé|Cécile|Séverine|Aurélie|Jean-Stéphane
|Marc|Paul|Anne|Isabelle|Catherine|Philippe|Laurent|Thomas|Antoine|Mathilde|Juliette|Emmanuel|François
|Élodie|Gérard|Thérèse|André|Béatrice|Agnès|Grégoire|Timothée|Léa|Inès|Jérémie|Noël|Michel|Sylvie
|Olivier|Guillaume|Alexandre|Caroline|Valérie|Patrick|Bruno|Yves|Denis|Luc|Lucie|Manon|Pauline|Hugo
|John|David|Sarah|Michael|Anna|Peter|Maria|Carlos|Ahmed|Fatima|Mohamed|Leila|Youssef|Samir|Karim
|Dmitri|Sergueï|Olga|Natalia|Vladimir|Ivan|Wang|Li|Chen|Yuki|Hiroshi|Giulia|Marco|Javier|Lucía
|Kwame|Amadou|Aminata|Moussa|Fatou|Ali|Reza|Omar|Nadia|Hans|Klaus|Ingrid|Björn|Søren|Zoltán
""".replace("\n", "").split("|")

LAST_NAMES = """
Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|Lefèvre|Michel
|Garcia|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|André|Mercier|Dupont|Lambert|Bonnet
|François|Legrand|Garnier|Faure|Rousseau|Blanc|Guérin|Muller|Henry|Roussel|Nicolas|Perrin|Morin
|Mathieu|Clément|Gauthier|Dumont|Lopez|Fontaine|Chevalier|Robin|Masson|Gérard|Nguyen|Boyer|Denis
|Lemaire|Duval|Joly|Gautier|Roche|Noël|Meyer|Lucas|Meunier|Pérez|Marchand|Dufour|Blanchard|Barbier
|Brun|Dumas|Brunet|Schmitt|Leroux|Colin|Fernandez|Renard|Arnaud|Rolland|Caron|Aubert|Giraud|Leclerc
|Vidal|Bourgeois|Renaud|Lemoine|Picard|Gaillard|Lacroix|Fabre|Dupuis|Olivier|Hubert|Guillot
|Rivière|Le Gall|Le Goff|Kervella|Quéméner|Hénaff|Ménard|Fleury|Deschamps|Carpentier|Benoît
|Maillard|Marchal|Aubry|Vasseur|Jacquet|Collet|Prévost|Poirier|Charpentier|Royer|Huet|Baron|Dupuy
|Pons|Carré|Breton|Rémy|Schneider|Perrot|Barré|Marty|Cousin|Lebœuf|Bœuf|Castaño|Müller|Schmidt
|Weiß|Rossi|Russo|Ferrari|Esposito|García|Martínez|Sánchez|Wang|Zhang|Liu|Tanaka|Suzuki|Ivanov
|Petrov|Smirnov|Kowalski|Nowak|Yılmaz|Haddad|Khalil|Mansour|Diallo|Traoré|Koné|Ndiaye|Mensah
|Okafor|Smith|Johnson|Brown|Davies|Wilson|O'Brien|Kelly|Jensen|Hansen|Novák|Horváth|Popescu
""".replace("\n", "").split("|")

# Dateline places (as written in datelines) and the agencies that favour them.
PLACES = """
PARIS|MOSCOU|WASHINGTON|BRUXELLES|GENÈVE|PÉKIN|PEKIN|LE CAIRE|BERLIN|LONDRES|ROME|MADRID|TOKYO
|NEW YORK|BEYROUTH|DAMAS|JÉRUSALEM|RAMALLAH|TÉHÉRAN|BAGDAD|KABOUL|ISLAMABAD|NEW DELHI|MUMBAI
|DAKAR|ABIDJAN|KINSHASA|NAIROBI|JOHANNESBURG|ALGER|TUNIS|RABAT|CASABLANCA|MONTRÉAL|OTTAWA
|QUÉBEC|MEXICO|BOGOTA|BRASILIA|SAO PAULO|BUENOS AIRES|SANTIAGO|LIMA|CARACAS|LA HAVANE|ATHÈNES
|ISTANBUL|ANKARA|VARSOVIE|KIEV|VIENNE|BERNE|ZURICH|LAUSANNE|LUXEMBOURG|STRASBOURG|LYON|MARSEILLE
|TOULOUSE|BORDEAUX|NANTES|LILLE|NICE|AJACCIO|SAINT-PÉTERSBOURG|AIX-EN-PROVENCE|DAÏR AZ ZOUR
|ALEP|HOMS|MOSSOUL|GAZA|TEL AVIV|DOHA|RIYAD|DUBAÏ|ABOU DHABI|SANAA|HANOÏ|SÉOUL|SHANGHAI
|HONG KONG|TAIPEI|SYDNEY|ANVERS|LIÈGE|GAND|NAMUR|FRANCFORT|MUNICH|HAMBOURG|MILAN|NAPLES|BARCELONE
|LISBONNE|DUBLIN|STOCKHOLM|OSLO|COPENHAGUE|HELSINKI|BUCAREST|BUDAPEST|PRAGUE|BELGRADE|SARAJEVO
|ZAGREB|SOFIA|MINSK|TBILISSI|EREVAN|BAKOU|BAMAKO|NIAMEY|N'DJAMENA|OUAGADOUGOU|CONAKRY|LOMÉ|COTONOU
|YAOUNDÉ|LIBREVILLE|BRAZZAVILLE|BANGUI|KIGALI|ADDIS-ABEBA|KHARTOUM|TRIPOLI|NOUAKCHOTT
|ANTANANARIVO|PORT-AU-PRINCE|FORT-DE-FRANCE|POINTE-À-PITRE|NOUMÉA|PAPEETE|CAYENNE|CHENGDU
|CANNES|GRENOBLE|RENNES|MONTPELLIER|FRIBOURG|NEUCHÂTEL|SION|LUGANO|BÂLE|CHARLEROI|MONS|BRUGES
""".replace("\n", "").split("|")

#: Places an agency files from more often than the others.
HOME_PLACES = {
    "Xinhua": ["PEKIN", "SHANGHAI", "CHENGDU", "HONG KONG"],
    "ATS": ["GENÈVE", "BERNE", "LAUSANNE", "ZURICH", "FRIBOURG", "NEUCHÂTEL", "SION", "LUGANO", "BÂLE"],
    "Belga": ["BRUXELLES", "ANVERS", "LIÈGE", "GAND", "NAMUR", "CHARLEROI", "MONS", "BRUGES"],
    "DPA": ["BERLIN", "FRANCFORT", "MUNICH", "HAMBOURG"],
    "ANSA": ["ROME", "MILAN", "NAPLES"],
    "EFE": ["MADRID", "BARCELONE", "MEXICO", "BOGOTA"],
    "Kyodo": ["TOKYO"],
    "AFP": ["PARIS", "LYON", "MARSEILLE", "TOULOUSE", "BORDEAUX"],
    "AP": ["WASHINGTON", "NEW YORK"],
}

#: A region written after some dateline places.
REGIONS = {
    "RAMALLAH": "Cisjordanie", "GAZA": "Territoires palestiniens", "SION": "Valais",
    "AJACCIO": "Corse", "LIÈGE": "Wallonie", "ALEP": "Syrie", "MOSSOUL": "Irak",
}

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
MONTHS_ABBR = ["janv", "fév", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

#: Agency, share of the stories, and whether its stories come as JSON Lines.
AGENCIES = [
    ("AFP", 0.30, False), ("Reuters", 0.25, False), ("AP", 0.10, False), ("Xinhua", 0.10, False),
    ("ATS", 0.08, False), ("Belga", 0.06, False), ("DPA", 0.04, True), ("ANSA", 0.02, True),
    ("EFE", 0.02, True), ("Kyodo", 0.015, True), ("Bloomberg", 0.015, True),
]

UPDATE_NOTES = [
    "bilan", "précisions", "citations", "réactions", "contexte", "détails", "déclarations",
    "nouveau bilan", "chiffres", "témoignages", "annonce officielle",
]

#: Lines of web-page debris that the parser removes (built-in patterns).
SHARE_WIDGET = ["le", "0"]
COMMENTS_FOOTER = [
    "Vous devez être membre pour ajouter des commentaires.",
    "Devenez membre, ou connectez-vous.",
    "Aucun commentaire n'est disponible pour l'instant",
]
SHARE_BUTTONS = ["Partager", "Facebook", "Twitter", "Envoyer par e-mail", "Imprimer"]

# Syllables of invented proper names (the corpus's vocabulary keeps growing
# with its size, as a real archive's does).
SYLLABLES = """
ba be bi bo bou da de di do dou ka ke ki ko la le li lo lou ma me mi mo na ne ni no ra re ri ro sa
se si so ta te ti to va ve vi za zi bé dé lé mé ré té vé cha che chi gna gno pha tra tri bra gra pla
""".split()
#: Endings of invented names.
ENDINGS = ["", "", "n", "l", "r", "s", "t", "ne", "lle", "ssi", "ï", "z", "k", "rd"]
