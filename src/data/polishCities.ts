/** A Polish city as a fact: its voivodeship (as the OLX file names it), population and coordinates. */
export interface PolishCity {
  readonly name: string;
  readonly voivodeship: string;
  readonly population: number;
  readonly longitude: number;
  readonly latitude: number;
}

/** Cities of all 16 voivodeships, with approximate populations (2021) and city-centre coordinates. */
export const POLISH_CITIES: readonly PolishCity[] = [
  { name: "Warszawa", voivodeship: "Masovia", population: 1794166, longitude: 21.0122, latitude: 52.2297 },
  { name: "Radom", voivodeship: "Masovia", population: 210532, longitude: 21.1471, latitude: 51.4027 },
  { name: "Płock", voivodeship: "Masovia", population: 116962, longitude: 19.7065, latitude: 52.5463 },
  { name: "Katowice", voivodeship: "Silesia", population: 290553, longitude: 19.0238, latitude: 50.2649 },
  { name: "Częstochowa", voivodeship: "Silesia", population: 217530, longitude: 19.1203, latitude: 50.8118 },
  { name: "Gliwice", voivodeship: "Silesia", population: 175102, longitude: 18.6714, latitude: 50.2945 },
  { name: "Sosnowiec", voivodeship: "Silesia", population: 198182, longitude: 19.1041, latitude: 50.2863 },
  { name: "Bielsko-Biała", voivodeship: "Silesia", population: 169089, longitude: 19.0584, latitude: 49.8224 },
  { name: "Łódź", voivodeship: "Lodzkie", population: 670642, longitude: 19.456, latitude: 51.7592 },
  { name: "Piotrków Trybunalski", voivodeship: "Lodzkie", population: 72252, longitude: 19.703, latitude: 51.4055 },
  { name: "Wrocław", voivodeship: "Lower Silesia", population: 643782, longitude: 17.0385, latitude: 51.1079 },
  { name: "Wałbrzych", voivodeship: "Lower Silesia", population: 110603, longitude: 16.2843, latitude: 50.7714 },
  { name: "Legnica", voivodeship: "Lower Silesia", population: 99350, longitude: 16.1553, latitude: 51.207 },
  { name: "Bolesławiec", voivodeship: "Lower Silesia", population: 38571, longitude: 15.5651, latitude: 51.263 },
  { name: "Poznań", voivodeship: "Greater Poland", population: 532048, longitude: 16.9252, latitude: 52.4064 },
  { name: "Kalisz", voivodeship: "Greater Poland", population: 99761, longitude: 18.091, latitude: 51.7611 },
  { name: "Konin", voivodeship: "Greater Poland", population: 72907, longitude: 18.2511, latitude: 52.223 },
  { name: "Kraków", voivodeship: "Lesser Poland", population: 780981, longitude: 19.945, latitude: 50.0647 },
  { name: "Tarnów", voivodeship: "Lesser Poland", population: 108470, longitude: 20.9858, latitude: 50.0121 },
  { name: "Nowy Sącz", voivodeship: "Lesser Poland", population: 83116, longitude: 20.6915, latitude: 49.6249 },
  { name: "Szczecin", voivodeship: "West Pomerania", population: 398255, longitude: 14.5528, latitude: 53.4285 },
  { name: "Koszalin", voivodeship: "West Pomerania", population: 106235, longitude: 16.1722, latitude: 54.1944 },
  { name: "Lublin", voivodeship: "Lublin", population: 338586, longitude: 22.5684, latitude: 51.2465 },
  { name: "Zamość", voivodeship: "Lublin", population: 62021, longitude: 23.252, latitude: 50.7231 },
  { name: "Bydgoszcz", voivodeship: "Kuyavia-Pomerania", population: 337666, longitude: 18.0084, latitude: 53.1235 },
  { name: "Toruń", voivodeship: "Kuyavia-Pomerania", population: 198613, longitude: 18.5984, latitude: 53.0138 },
  { name: "Włocławek", voivodeship: "Kuyavia-Pomerania", population: 106928, longitude: 19.0677, latitude: 52.6483 },
  { name: "Gdańsk", voivodeship: "Pomerania", population: 486022, longitude: 18.6466, latitude: 54.352 },
  { name: "Gdynia", voivodeship: "Pomerania", population: 243918, longitude: 18.5305, latitude: 54.5189 },
  { name: "Słupsk", voivodeship: "Pomerania", population: 89739, longitude: 17.0285, latitude: 54.4641 },
  { name: "Olsztyn", voivodeship: "Warmia-Masuria", population: 170225, longitude: 20.4801, latitude: 53.7784 },
  { name: "Elbląg", voivodeship: "Warmia-Masuria", population: 117390, longitude: 19.4045, latitude: 54.1561 },
  { name: "Rzeszów", voivodeship: "Subcarpathia", population: 196208, longitude: 21.9991, latitude: 50.0412 },
  { name: "Przemyśl", voivodeship: "Subcarpathia", population: 58721, longitude: 22.7678, latitude: 49.7838 },
  { name: "Kielce", voivodeship: "Świętokrzyskie", population: 192468, longitude: 20.6286, latitude: 50.8661 },
  { name: "Ostrowiec Świętokrzyski", voivodeship: "Świętokrzyskie", population: 68599, longitude: 21.3853, latitude: 50.9294 },
  { name: "Białystok", voivodeship: "Podlaskie", population: 297288, longitude: 23.1688, latitude: 53.1325 },
  { name: "Suwałki", voivodeship: "Podlaskie", population: 69206, longitude: 22.9309, latitude: 54.1118 },
  { name: "Gorzów Wielkopolski", voivodeship: "Lubusz", population: 122589, longitude: 15.2288, latitude: 52.7368 },
  { name: "Zielona Góra", voivodeship: "Lubusz", population: 141222, longitude: 15.5062, latitude: 51.9356 },
  { name: "Opole", voivodeship: "Opole", population: 127387, longitude: 17.9213, latitude: 50.6751 },
  { name: "Nysa", voivodeship: "Opole", population: 43574, longitude: 17.3344, latitude: 50.4747 },
];
